package io.graphloop.it;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP trace receiver on 127.0.0.1 for tests, as an OpenTelemetry Collector's {@code otlphttp} receiver
 * answers: {@code POST /v1/traces} with an {@code ExportTraceServiceRequest} in protobuf (gzip or not), answered
 * {@code 200} with an empty {@code ExportTraceServiceResponse}. It decodes the spans' ids, names and string/int
 * attributes and the resource's {@code service.name} (the protobuf wire format read by hand: varints and
 * length-delimited fields of opentelemetry-proto's trace.proto; other fields skipped).
 *
 * <p>Thread rules: thread-safe ({@link #spans} copies under a lock).
 */
final class OtlpReceiver implements AutoCloseable {

  /** One received span. */
  record Span(String service, String traceId, String spanId, String parentSpanId, String name,
              Map<String, Object> attributes) {
  }

  private final HttpServer server;
  private final List<Span> spans = new ArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/v1/traces", exchange -> {
      try (InputStream in = exchange.getRequestBody()) {
        if (!"POST".equals(exchange.getRequestMethod())) {
          exchange.sendResponseHeaders(405, -1);
          return;
        }
        byte[] body = in.readAllBytes();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
          body = new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
        }
        List<Span> decoded = decodeRequest(body);
        synchronized (spans) {
          spans.addAll(decoded);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
        exchange.sendResponseHeaders(200, 0);
        exchange.getResponseBody().close(); // an empty ExportTraceServiceResponse
      } catch (RuntimeException e) {
        byte[] message = e.toString().getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(400, message.length);
        exchange.getResponseBody().write(message);
        exchange.getResponseBody().close();
      }
    });
    server.start();
  }

  /** The endpoint to export to. */
  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  /** The spans received so far. */
  List<Span> spans() {
    synchronized (spans) {
      return List.copyOf(spans);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /** ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; } */
  static List<Span> decodeRequest(byte[] body) {
    List<Span> out = new ArrayList<>();
    Reader request = new Reader(body);
    while (request.more()) {
      int tag = request.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        resourceSpans(request.bytes(), out);
      } else {
        request.skip(tag);
      }
    }
    return out;
  }

  /** ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; } */
  private static void resourceSpans(byte[] body, List<Span> out) {
    String service = null;
    List<byte[]> scopes = new ArrayList<>();
    Reader reader = new Reader(body);
    while (reader.more()) {
      int tag = reader.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) { // Resource { repeated KeyValue attributes = 1; }
        Reader resource = new Reader(reader.bytes());
        while (resource.more()) {
          int field = resource.tag();
          if (field >>> 3 == 1 && (field & 7) == 2) {
            Map.Entry<String, Object> attribute = keyValue(resource.bytes());
            if (attribute.getKey().equals("service.name")) {
              service = String.valueOf(attribute.getValue());
            }
          } else {
            resource.skip(field);
          }
        }
      } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
        scopes.add(reader.bytes());
      } else {
        reader.skip(tag);
      }
    }
    for (byte[] scope : scopes) { // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
      Reader reader2 = new Reader(scope);
      while (reader2.more()) {
        int tag = reader2.tag();
        if (tag >>> 3 == 2 && (tag & 7) == 2) {
          out.add(span(service, reader2.bytes()));
        } else {
          reader2.skip(tag);
        }
      }
    }
  }

  /** Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; KeyValue attributes = 9 } */
  private static Span span(String service, byte[] body) {
    String traceId = null;
    String spanId = null;
    String parent = "";
    String name = null;
    Map<String, Object> attributes = new LinkedHashMap<>();
    Reader reader = new Reader(body);
    while (reader.more()) {
      int tag = reader.tag();
      int field = tag >>> 3;
      if ((tag & 7) != 2 || (field != 1 && field != 2 && field != 4 && field != 5 && field != 9)) {
        reader.skip(tag);
        continue;
      }
      byte[] value = reader.bytes();
      switch (field) {
        case 1 -> traceId = HexFormat.of().formatHex(value);
        case 2 -> spanId = HexFormat.of().formatHex(value);
        case 4 -> parent = HexFormat.of().formatHex(value);
        case 5 -> name = new String(value, StandardCharsets.UTF_8);
        default -> {
          Map.Entry<String, Object> attribute = keyValue(value);
          attributes.put(attribute.getKey(), attribute.getValue());
        }
      }
    }
    return new Span(service, traceId, spanId, parent, name, attributes);
  }

  /** KeyValue { string key = 1; AnyValue value = 2; }, AnyValue { string string_value = 1; int64 int_value = 3; } */
  private static Map.Entry<String, Object> keyValue(byte[] body) {
    String key = null;
    Object value = null;
    Reader reader = new Reader(body);
    while (reader.more()) {
      int tag = reader.tag();
      if (tag >>> 3 == 1 && (tag & 7) == 2) {
        key = new String(reader.bytes(), StandardCharsets.UTF_8);
      } else if (tag >>> 3 == 2 && (tag & 7) == 2) {
        Reader any = new Reader(reader.bytes());
        while (any.more()) {
          int field = any.tag();
          if (field >>> 3 == 1 && (field & 7) == 2) {
            value = new String(any.bytes(), StandardCharsets.UTF_8);
          } else if (field >>> 3 == 3 && (field & 7) == 0) {
            value = any.varint();
          } else {
            any.skip(field);
          }
        }
      } else {
        reader.skip(tag);
      }
    }
    return new java.util.AbstractMap.SimpleEntry<>(key, value);
  }

  /** Reads protobuf's wire format. */
  private static final class Reader {
    private final byte[] data;
    private int position;

    Reader(byte[] data) {
      this.data = data;
    }

    boolean more() {
      return position < data.length;
    }

    int tag() {
      return (int) varint();
    }

    long varint() {
      long result = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = data[position++];
        result |= (long) (b & 0x7f) << shift;
        if ((b & 0x80) == 0) {
          return result;
        }
      }
      throw new IllegalArgumentException("malformed varint");
    }

    byte[] bytes() {
      int length = (int) varint();
      if (length < 0 || position + length > data.length) {
        throw new IllegalArgumentException("length " + length + " past the end");
      }
      byte[] out = java.util.Arrays.copyOfRange(data, position, position + length);
      position += length;
      return out;
    }

    void skip(int tag) {
      switch (tag & 7) {
        case 0 -> varint();
        case 1 -> position += 8;
        case 2 -> bytes();
        case 5 -> position += 4;
        default -> throw new IllegalArgumentException("unsupported wire type " + (tag & 7));
      }
    }
  }

}
