package io.graphloop.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Graphloop's one Jackson {@link ObjectMapper}, configured for state values: typed views ignore
 * channels the view does not declare, and empty beans are an error rather than {@code {}}.
 *
 * <p>The mapper is configured once and then only read, which Jackson documents as thread-safe.
 */
public final class StateJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, true);

  private StateJson() {
  }

  /** The shared, thread-safe mapper. Do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
