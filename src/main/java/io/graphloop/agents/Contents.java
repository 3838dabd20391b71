package io.graphloop.agents;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Helpers for message contents and the common fields of LangChain's message format. Stateless. */
final class Contents {

  private Contents() {
  }

  static String text(Object content) {
    if (content == null) {
      return "";
    }
    if (content instanceof String s) {
      return s;
    }
    StringBuilder text = new StringBuilder();
    if (content instanceof List<?> blocks) {
      for (Object block : blocks) {
        if (block instanceof String s) {
          text.append(s);
        } else if (block instanceof Map<?, ?> map && "text".equals(map.get("type")) && map.get("text") instanceof String s) {
          text.append(s);
        }
      }
    }
    return text.toString();
  }

  /** A content as given, checked: a string or a list (of strings and blocks); null becomes "". */
  static Object check(Object content, String where) {
    if (content == null) {
      return "";
    }
    if (content instanceof String || content instanceof List<?>) {
      return content;
    }
    throw new IllegalArgumentException("The content of " + where + " is a " + content.getClass().getSimpleName()
        + "; a message's content is a string or a list of content blocks.");
  }

  /** The fields every message has, in LangChain's order: content, additional_kwargs, response_metadata, type, name, id. */
  static Map<String, Object> base(Object content, Map<String, Object> additionalKwargs,
      Map<String, Object> responseMetadata, String type, String name, String id) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("content", content);
    map.put("additional_kwargs", additionalKwargs == null ? new LinkedHashMap<>() : additionalKwargs);
    map.put("response_metadata", responseMetadata == null ? new LinkedHashMap<>() : responseMetadata);
    map.put("type", type);
    map.put("name", name);
    map.put("id", id);
    return map;
  }
}
