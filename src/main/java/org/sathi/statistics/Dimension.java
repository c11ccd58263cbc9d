package org.sathi.statistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import org.sathi.report.Crosswalk;
import org.sathi.report.Facts;

/**
 * What a table can count reports by. The first eight are the API's ({@code rows=}, {@code cols=});
 * the rest are the frameworks' own codes, which only the exports use.
 *
 * <p>Each dimension has a fixed list of keys where the field defines one (so that tables of two
 * periods line up), always ending with {@code unknown}; the others list the keys the data has.
 */
public enum Dimension {
  SEX("sex", true, (s, f) -> switch (nz(f.gender())) {
    case "girl" -> "female";
    case "boy" -> "male";
    default -> Crosswalk.UNKNOWN; // "other" and "don't know": too few to show, and not a sex the frameworks count
  }),
  AGE_BAND("ageBand", true, (s, f) -> chiAgeBand(f.age())),
  EXPLOITATION("exploitation", true, (s, f) -> s.crosswalk().mapped(f.what()).map(Crosswalk.Mapped::htcds).orElse(Crosswalk.UNKNOWN)),
  ORIGIN("origin", true, (s, f) -> f.area() == null ? Crosswalk.UNKNOWN : s.rollUp().apply(f.area())),
  CHANNEL("channel", true, (s, f) -> s.transport().apply(f.channel())),
  LANGUAGE("language", true, (s, f) -> f.language() == null ? Crosswalk.UNKNOWN : f.language()),
  CONTACT_TYPE("contactType", true, (s, f) -> f.contactType() == null ? Crosswalk.UNKNOWN : f.contactType()),
  OUTCOME("outcome", true, (s, f) -> f.outcome() == null ? org.sathi.report.Outcomes.OPEN : f.outcome()),
  /** Child Helpline International's category for the form of exploitation (crosswalk {@code chi}). */
  CHI_CATEGORY("chiCategory", false, (s, f) -> s.crosswalk().mapped(f.what()).map(Crosswalk.Mapped::chi).orElse(Crosswalk.UNKNOWN)),
  /** UNODC's form of exploitation (crosswalk {@code unodc}). */
  UNODC_FORM("unodcForm", false, (s, f) -> s.crosswalk().mapped(f.what()).map(Crosswalk.Mapped::unodc).orElse(Crosswalk.UNKNOWN)),
  /** UNODC's girls, boys, women and men. */
  UNODC_SEX_AGE("unodcSexAge", false, (s, f) -> Crosswalk.sexAge(f.age(), f.gender())),
  /** CTDC's {@code ageBroad} bands, from the crosswalk. */
  CTDC_AGE_BAND("ctdcAgeBand", false, (s, f) -> s.crosswalk().ageBand(f.age()));

  public static final String UNKNOWN = Crosswalk.UNKNOWN;
  /** Child Helpline International's age bands, in years. */
  public static final List<String> CHI_AGE_BANDS = List.of("0-3", "4-6", "7-9", "10-12", "13-15", "16-17", "18+");
  private static final int[] CHI_BAND_TOPS = {3, 6, 9, 12, 15, 17};

  private final String wire;
  private final boolean api;
  private final BiFunction<Statistics, Facts, String> key;

  Dimension(String wire, boolean api, BiFunction<Statistics, Facts, String> key) {
    this.wire = wire;
    this.api = api;
    this.key = key;
  }

  /** The name in the API and the exports: {@code sex}, {@code ageBand}, ... */
  public String wire() {
    return wire;
  }

  /** The key one report counts under. */
  public String key(Statistics s, Facts f) {
    return key.apply(s, f);
  }

  /** The API's dimension of this name; empty for any other (including the exports' own). */
  public static Optional<Dimension> parse(String name) {
    return Arrays.stream(values()).filter(d -> d.api && d.wire.equals(name)).findFirst();
  }

  /** The names {@link #parse} takes, for error messages. */
  public static List<String> apiNames() {
    return Arrays.stream(values()).filter(d -> d.api).map(Dimension::wire).toList();
  }

  /** The row or column keys for these facts, in order. */
  List<String> keys(Statistics s, List<Facts> facts) {
    List<String> fixed = switch (this) {
      case SEX -> List.of("female", "male");
      case AGE_BAND -> CHI_AGE_BANDS;
      case EXPLOITATION -> sorted(Crosswalk.HTCDS_TYPES);
      case CHANNEL -> List.of("sms", "voice", "ussd", "whatsapp");
      case LANGUAGE -> s.languages();
      case CONTACT_TYPE -> List.of("report", "handoff", Facts.MISSED_HANDOFF, "voicemail");
      case OUTCOME -> with(s.outcomes().ids(), org.sathi.report.Outcomes.OPEN);
      case CHI_CATEGORY -> s.crosswalk().chiCategories();
      case UNODC_FORM -> sorted(Crosswalk.UNODC_FORMS);
      case UNODC_SEX_AGE -> List.of("girls", "boys", "women", "men");
      case CTDC_AGE_BAND -> s.crosswalk().ageBands();
      case ORIGIN -> List.of();
    };
    Set<String> keys = new LinkedHashSet<>(fixed);
    Set<String> seen = new TreeSet<>();
    for (Facts f : facts) seen.add(key(s, f));
    seen.remove(UNKNOWN);
    keys.addAll(seen);
    if (this != OUTCOME) keys.add(UNKNOWN);
    return List.copyOf(keys);
  }

  private static List<String> sorted(Set<String> codes) {
    List<String> out = new ArrayList<>(new TreeSet<>(codes));
    if (out.remove("Other")) out.add("Other");
    return out;
  }

  private static List<String> with(List<String> list, String more) {
    List<String> out = new ArrayList<>(list);
    out.add(more);
    return out;
  }

  static String chiAgeBand(Integer age) {
    if (age == null) return UNKNOWN;
    for (int i = 0; i < CHI_BAND_TOPS.length; i++) if (age <= CHI_BAND_TOPS[i]) return CHI_AGE_BANDS.get(i);
    return "18+";
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }
}
