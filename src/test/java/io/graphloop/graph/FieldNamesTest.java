package io.graphloop.graph;

import org.junit.jupiter.api.Test;

import java.lang.invoke.SerializedLambda;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A {@link Field}'s component name. In a named application module whose package is not open to Graphloop the lambda's
 * private writeReplace cannot be made accessible, and the name comes through Java serialization instead (the modular
 * consumer build, src/it/modular, runs that for real): both ways give the same reference.
 */
class FieldNamesTest {

  record Notes(String topic, List<String> notes) {
  }

  @Test
  void serializationReadsTheSameReferenceAsWriteReplace() throws Exception {
    Field<Notes, List<String>> field = Notes::notes;
    SerializedLambda direct = FieldNames.serializedForm(field);
    SerializedLambda serialized = FieldNames.throughSerialization(field);
    assertEquals("notes", direct.getImplMethodName());
    assertEquals(direct.getImplMethodName(), serialized.getImplMethodName());
    assertEquals(direct.getImplClass(), serialized.getImplClass());
    assertEquals("notes", field.componentName());
  }

  @Test
  void aLambdaIsStillRefused() {
    Field<Notes, String> lambda = notes -> notes.topic();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, lambda::componentName);
    assertEquals(true, e.getMessage().contains("got a lambda"), e.getMessage());
  }
}
