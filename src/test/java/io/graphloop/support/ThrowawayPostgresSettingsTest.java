package io.graphloop.support;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server settings a {@link ThrowawayPostgres} starts with: passed as {@code -c} options, bad ones refused. */
class ThrowawayPostgresSettingsTest {

  @Test
  void settingsBecomeServerOptionsInTheirOrder() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("shared_buffers", "6GB");
    settings.put("checkpoint_timeout", "15min");
    assertEquals(" -c shared_buffers=6GB -c checkpoint_timeout=15min",
        ThrowawayPostgres.settingsArguments(settings, true));
    assertEquals("", ThrowawayPostgres.settingsArguments(Map.of(), true));
  }

  @Test
  void aDurableServerRefusesToTurnDurabilityOff() {
    for (String name : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ThrowawayPostgres.settingsArguments(Map.of(name, "off"), true));
      assertTrue(e.getMessage().contains(name) && e.getMessage().contains("durable"), e.getMessage());
    }
    assertEquals(" -c fsync=off", ThrowawayPostgres.settingsArguments(Map.of("fsync", "off"), false));
  }

  @Test
  void aNameOrValueThatCouldCarryAnotherOptionIsRefused() {
    IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
        () -> ThrowawayPostgres.settingsArguments(Map.of("shared_buffers -c fsync", "off"), true));
    assertTrue(name.getMessage().contains("setting name"), name.getMessage());
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
        () -> ThrowawayPostgres.settingsArguments(Map.of("shared_buffers", "6GB -c fsync=off"), true));
    assertTrue(value.getMessage().contains("shared_buffers"), value.getMessage());
  }
}
