package io.graphloop.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The library's architecture, checked on its compiled classes (ArchUnit): the pure core holds no Vert.x thread
 * code, and the API's signatures name no internal type. Fails naming each offending class or member.
 */
class ArchitectureTest {

  /** The packages users program against (README, "Use it in your Vert.x app"; exported by module-info.java). */
  static final String[] API = ApiPackages.API.toArray(new String[0]);

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.graphloop");
  }

  @Test
  void thePureCoreHasNoVertxThreadCode() {
    noClasses().that().resideInAnyPackage("io.graphloop.internal.engine..", "io.graphloop.state..",
            "io.graphloop.graph..")
        // a node's context hands the node its Vert.x instance (to make HTTP calls etc.): API for nodes, not engine
        .and().doNotHaveFullyQualifiedName("io.graphloop.graph.NodeContext")
        .should().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.Vertx")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.Context")
        .orShould().dependOnClassesThat().resideInAnyPackage("io.vertx.core.eventbus..", "io.vertx.core.impl..",
            "io.vertx.core.internal..")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.AbstractVerticle")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.VerticleBase")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("io.vertx.core.WorkerExecutor")
        .because("the superstep engine, graph model and channels run as plain functions on the caller's thread"
            + " (STYLE.md), testable without deploying anything")
        .check(classes);
  }

  @Test
  void apiSignaturesNameNoInternalType() {
    members().that().areDeclaredInClassesThat().resideInAnyPackage(API)
        .and().areDeclaredInClassesThat().arePublic()
        .and(new DescribedPredicate<JavaMember>("are public or protected") {
          @Override
          public boolean test(JavaMember member) {
            return member.getModifiers().contains(JavaModifier.PUBLIC)
                || member.getModifiers().contains(JavaModifier.PROTECTED);
          }
        })
        .should(nameNoInternalType())
        .check(classes);
  }

  private static ArchCondition<JavaMember> nameNoInternalType() {
    return new ArchCondition<>("name no type of a package that is not API (io.graphloop.internal, protocol, cli, "
        + "studio, examples) in their signature") {
      @Override
      public void check(JavaMember member, ConditionEvents events) {
        List<JavaClass> named = new ArrayList<>();
        if (member instanceof JavaMethod method) {
          named.add(method.getRawReturnType());
        }
        if (member instanceof com.tngtech.archunit.core.domain.JavaCodeUnit unit) {
          named.addAll(unit.getRawParameterTypes());
        }
        if (member instanceof com.tngtech.archunit.core.domain.JavaField field) {
          named.add(field.getRawType());
        }
        for (JavaClass type : named) {
          String name = type.getBaseComponentType().getPackageName();
          if (name.startsWith("io.graphloop.") && !ApiPackages.isApi(name)) {
            events.add(SimpleConditionEvent.violated(member, member.getFullName() + " names "
                + type.getName() + ", which is not API"));
          }
        }
      }
    };
  }
}
