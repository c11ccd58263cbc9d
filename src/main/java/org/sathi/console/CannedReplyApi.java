package org.sathi.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.sathi.i18n.SmsSegments;
import org.sathi.report.Report;

/**
 * The console's side of {@link CannedReplies}: {@code GET /api/reports/{ref}/replies} lists each
 * prepared reply with its meaning in the officer's console language and the text the reporter would
 * get, in the report's language, with its SMS cost; and {@code POST /api/reports/{ref}/reply}
 * {@code {"canned": ID}} sends one. The text sent is always the server's, never the browser's.
 */
final class CannedReplyApi {
  private CannedReplyApi() {}

  /** A console language code as the API takes it ({@code en}, {@code bn}, {@code pt-BR}). */
  static final java.util.regex.Pattern LANGUAGE = java.util.regex.Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?");

  /** The prepared replies for one report, meanings in {@code lang} (the default language when absent or without meanings in it). */
  static ConsoleApi.Answer offer(CannedReplies replies, Report r, String lang) {
    if (lang != null && !LANGUAGE.matcher(lang).matches()) {
      return ConsoleApi.badRequest("lang is a language code, such as en or bn.");
    }
    JsonArray list = new JsonArray();
    String shownIn = null;
    for (CannedReplies.Reply reply : replies.replies()) {
      var meaning = replies.meaning(reply, lang);
      if (shownIn == null) shownIn = meaning.getKey();
      String text = replies.text(reply, r.language(), r.reference());
      JsonObject item = new JsonObject().put("id", reply.id()).put("meaning", meaning.getValue()).put("meaningLanguage", meaning.getKey());
      if (text == null) {
        item.put("text", null).put("available", false).put("reason", missing(r));
      } else {
        SmsSegments size = SmsSegments.of(text);
        item.put("text", text).put("available", true).put("segments", size.segments()).put("encoding", encoding(size))
            .put("units", size.units());
      }
      list.add(item);
    }
    return ConsoleApi.ok(new JsonObject().put("reference", r.reference()).put("language", r.language())
        .put("meaningLanguage", shownIn == null ? replies.defaultLanguage() : shownIn).put("replies", list));
  }

  /**
   * The prepared reply a reply's body names ({@code {"canned": ID}}), or null when it names none.
   * A body with both {@code canned} and {@code text}, or an id that is no reply, is {@link Choice#invalid}.
   */
  static Choice choice(CannedReplies replies, JsonObject body) {
    if (body == null || !body.containsKey("canned")) return null;
    if (!(body.getValue("canned") instanceof String id) || id.isBlank()) {
      return new Choice(null, ConsoleApi.badRequest("\"canned\" is the id of a prepared reply (GET /api/reports/{reference}/replies)."));
    }
    if (body.getValue("text") != null) {
      return new Choice(null, ConsoleApi.badRequest("Send either {\"canned\": ...} or {\"text\": ...}, not both: a prepared reply's text"
          + " comes from config/replies.yaml."));
    }
    return replies.find(id.strip()).map(reply -> new Choice(reply, null)).orElseGet(() -> new Choice(null,
        ConsoleApi.badRequest("There is no prepared reply '" + clip(id.strip()) + "' in config/replies.yaml; GET /api/reports/{reference}/replies"
            + " lists them.")));
  }

  /** A prepared reply chosen, or why the choice is refused. */
  record Choice(CannedReplies.Reply reply, ConsoleApi.Answer invalid) {}

  /** What goes to the reporter and on the timeline; or, when the report's language has no text, the refusal (409). */
  record Filled(String text, String timeline, ConsoleApi.Answer refused) {}

  static Filled fill(CannedReplies replies, CannedReplies.Reply reply, Report r) {
    String text = replies.text(reply, r.language(), r.reference());
    if (text == null) return new Filled(null, null, ConsoleApi.conflict("The prepared reply '" + reply.id() + "' has no text in "
        + (r.language() == null ? "this report's language" : "'" + r.language() + "'") + ", so it cannot be sent: " + missing(r)));
    // The timeline says which prepared reply went, what it means in the default language, and the words the reporter got.
    String meaning = replies.meaning(reply, replies.defaultLanguage()).getValue();
    return new Filled(text, "Prepared reply " + reply.id() + " (" + meaning + "): " + text, null);
  }

  private static String missing(Report r) {
    return "config/replies.yaml has no text for it in " + (r.language() == null ? "the report's language (none recorded)" : r.language())
        + "; write your own reply instead.";
  }

  static String encoding(SmsSegments size) {
    return size.encoding() == SmsSegments.Encoding.GSM_7 ? "GSM-7" : "UCS-2";
  }

  /** An id as typed, kept short and plain for the error message. */
  private static String clip(String id) {
    String plain = id.replaceAll("[^A-Za-z0-9-]", "?");
    return plain.length() > 64 ? plain.substring(0, 64) + "..." : plain;
  }
}
