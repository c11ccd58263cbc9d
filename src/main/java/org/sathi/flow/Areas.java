package org.sathi.flow;

import java.util.List;
import java.util.Optional;

/**
 * The administrative areas a caller can name as where a concern is ({@code config/places.yaml}), as
 * the flows need them: by the caller's calling code, like their numbers. The host reads the file and
 * hands the engine one of these (the report package's {@code Places}); the engine does no I/O.
 */
public interface Areas {

  /** One area of a short menu: its ISO 3166-2 code and its name in the caller's language. */
  record Choice(String code, String name) {}

  /** The first-level areas (Bangladesh's divisions, Nepal's provinces) of the caller's country, named in the language or in English; none when it has none. */
  List<Choice> choices(String callingCode, String language);

  /**
   * The most specific area of the caller's country that a free text names, in the language or in
   * English or a listed spelling; {@code within} (an area code, or null) keeps it to that area and
   * the areas in it. Empty when it names none, or several that do not share a first-level area.
   */
  Optional<String> match(String callingCode, String language, String text, String within);

  /** Calling codes whose country has areas: each country's menu must fit the reply budget. */
  List<String> callingCodes();

  /** An area's name in a language, or in English; null for a code that is not listed. */
  String name(String code, String language);

  /** The area published tables count a report under: a district's division; a division itself; null for null or a code not listed. */
  String rollUp(String code);

  /** No areas for anyone: area questions are skipped. */
  Areas NONE = new Areas() {
    @Override
    public List<Choice> choices(String callingCode, String language) {
      return List.of();
    }

    @Override
    public Optional<String> match(String callingCode, String language, String text, String within) {
      return Optional.empty();
    }

    @Override
    public List<String> callingCodes() {
      return List.of();
    }

    @Override
    public String name(String code, String language) {
      return null;
    }

    @Override
    public String rollUp(String code) {
      return null;
    }
  };
}
