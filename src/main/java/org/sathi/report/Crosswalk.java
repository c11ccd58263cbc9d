package org.sathi.report;

import org.sathi.config.ConfigFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.sathi.config.Problem;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;

/**
 * Maps a report onto the field's standards ({@code config/crosswalk.yaml}), so that the hotline's
 * numbers can be compared with IOM's, CTDC's, Child Helpline International's and UNODC's. The file
 * is versioned; the version goes with every mapped report. Validated whole at load, with
 * {@code file:line}: every {@code what} value of the report flow must be mapped, and every code
 * must be one the standard defines (the lists below).
 *
 * <p>Pure: no I/O beyond reading the file in {@link #load}, nothing from Vert.x.
 */
public final class Crosswalk {

  /** The mapping, or every problem found in the file (then {@code crosswalk} is null). */
  public record Loaded(Crosswalk crosswalk, List<Problem> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /** The file versions this code reads. */
  public static final int VERSION = 1;

  /**
   * IOM HTCDS {@code TypeOfExploitation} value names, from the HTCDS survey toolkit
   * (UNMigration/HTCDS, Toolkit/Survey/htcds_xlsform.xml, field vic_TypeOfExploitation).
   */
  public static final Set<String> HTCDS_TYPES = Set.of(
      "ForcedLabour", "SexualExploitation", "ChildLabour", "ForcedMarriage", "Servitude",
      "ForcedMilitaryByNonStateActors", "OrganRemoval", "ForcedBegging", "ForcedAdoption", "Surrogacy", "Other");

  /**
   * CTDC global dataset exploitation variables (1 when true), from the column names of the CTDC global
   * dataset (isForcedLabour ... typeOfSexConcatenated; the *Concatenated and *NotSpecified columns are
   * derived, so they are not offered here).
   */
  public static final Set<String> CTDC_FLAGS = Set.of(
      "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage",
      "isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices",
      "typeOfLabourAgriculture", "typeOfLabourAquafarming", "typeOfLabourBegging", "typeOfLabourConstruction",
      "typeOfLabourDomesticWork", "typeOfLabourHospitality", "typeOfLabourIllicitActivities",
      "typeOfLabourManufacturing", "typeOfLabourMiningOrDrilling", "typeOfLabourPeddling",
      "typeOfLabourTransportation", "typeOfLabourOther",
      "typeOfSexProstitution", "typeOfSexPornography", "typeOfSexRemoteInteractiveServices",
      "typeOfSexPrivateSexualServices");

  /** UNODC Global Report on Trafficking in Persons: forms of exploitation of detected victims. */
  public static final Set<String> UNODC_FORMS = Set.of(
      "Sexual exploitation", "Forced labour", "Forced criminal activity", "Begging", "Forced marriage",
      "Mixed exploitation", "Organ removal", "Other purposes");

  /** Below this age a victim counts as a girl or a boy (UNODC, CTDC: under 18). */
  public static final int ADULT_AGE = 18;

  public static final String UNKNOWN = "unknown";

  /** One {@code what} value mapped onto each standard. */
  public record Mapped(String htcds, List<String> ctdcFlags, String chi, String unodc) {}

  /** A CTDC {@code ageBroad} band; {@code to} is null for the open top band. */
  public record AgeBand(String band, int from, Integer to) {
    boolean holds(int age) {
      return age >= from && (to == null || age <= to);
    }
  }

  private final int version;
  private final Map<String, Mapped> what;
  private final List<AgeBand> ageBands;

  private Crosswalk(int version, Map<String, Mapped> what, List<AgeBand> ageBands) {
    this.version = version;
    this.what = Collections.unmodifiableMap(new LinkedHashMap<>(what));
    this.ageBands = List.copyOf(ageBands);
  }

  public int version() {
    return version;
  }

  /**
   * The report in the standards' terms: {@code crosswalkVersion}, {@code htcds.typeOfExploitation},
   * {@code ctdc.flags}, {@code ctdc.ageBand}, {@code chi.category}, {@code unodc.form},
   * {@code unodc.sexAge} (girls, boys, women, men or unknown). An unanswered or unmapped {@code what}
   * leaves the exploitation keys out; an unknown age gives {@code unknown} bands.
   */
  public Map<String, Object> map(ReportAnswers a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("crosswalkVersion", version);
    Mapped m = a == null || a.what() == null ? null : what.get(a.what());
    if (m != null) {
      out.put("htcds.typeOfExploitation", m.htcds());
      out.put("ctdc.flags", m.ctdcFlags());
    }
    Integer age = a == null ? null : a.age();
    out.put("ctdc.ageBand", ageBand(age));
    if (m != null) {
      out.put("chi.category", m.chi());
      out.put("unodc.form", m.unodc());
    }
    out.put("unodc.sexAge", sexAge(age, a == null ? null : a.gender()));
    return Collections.unmodifiableMap(out);
  }

  /** How a {@code what} value is mapped; empty for null or an unmapped value. */
  public java.util.Optional<Mapped> mapped(String whatValue) {
    return whatValue == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(what.get(whatValue));
  }

  /** The Child Helpline International categories the mapping uses, in the file's order, each once. */
  public List<String> chiCategories() {
    return what.values().stream().map(Mapped::chi).distinct().toList();
  }

  /** The CTDC age bands' names, youngest first. */
  public List<String> ageBands() {
    return ageBands.stream().map(AgeBand::band).toList();
  }

  /** The CTDC age band of an age in years, or {@value #UNKNOWN}. */
  public String ageBand(Integer age) {
    if (age == null) return UNKNOWN;
    for (AgeBand b : ageBands) {
      if (b.holds(age)) return b.band();
    }
    return UNKNOWN;
  }

  /** UNODC's girls / boys / women / men; {@value #UNKNOWN} when the age or the sex is not known. */
  public static String sexAge(Integer age, String gender) {
    if (age == null || gender == null) return UNKNOWN;
    boolean child = age < ADULT_AGE;
    return switch (gender) {
      case "girl" -> child ? "girls" : "women";
      case "boy" -> child ? "boys" : "men";
      default -> UNKNOWN; // "other" and "unknown": UNODC counts only the four groups
    };
  }

  // ---- loading -----------------------------------------------------------------------------

  /**
   * Reads and validates the crosswalk.
   *
   * @param whatValues the {@code what} value codes of the report flow; each must be mapped
   */
  public static Loaded load(Path file, Set<String> whatValues) {
    ConfigFile f = new ConfigFile(file);
    Mapping root = f.read(file);
    Map<String, Mapped> what = new LinkedHashMap<>();
    List<AgeBand> bands = new ArrayList<>();
    Integer version = null;
    if (root != null) {
      f.allowOnly(root, Set.of("version", "what", "ctdcAgeBands"));
      version = f.integer(root, "version", true, 0, Integer.MAX_VALUE);
      if (version != null && version != VERSION) {
        f.problem(f.lineOf(root, "version"), "'version' is " + version + "; this Sathi reads version " + VERSION);
      }
      readWhat(f, root, whatValues, what);
      readBands(f, root, bands);
    }
    List<Problem> problems = new ArrayList<>(f.problems);
    Collections.sort(problems);
    return problems.isEmpty()
        ? new Loaded(new Crosswalk(version, what, bands), List.of())
        : new Loaded(null, List.copyOf(problems));
  }

  private static void readWhat(ConfigFile f, Mapping root, Set<String> whatValues, Map<String, Mapped> out) {
    YamlTree t = root.get("what");
    if (!(t instanceof Mapping whatMap)) {
      f.problem(t == null ? root.line() : f.lineOf(root, "what"), "'what' must map each value of the report flow's 'what' question to the standards");
      return;
    }
    for (String value : new TreeSet<>(whatValues)) {
      if (!whatMap.entries().containsKey(value)) {
        f.problem(f.lineOf(root, "what"), "the report flow's 'what' value '" + value + "' is not mapped; add it under what");
      }
    }
    for (Entry e : whatMap.entries().values()) {
      if (!whatValues.contains(e.key())) {
        f.problem(e.line(), "'" + e.key() + "' is not a 'what' value of the report flow; values: " + String.join(", ", new TreeSet<>(whatValues)));
        continue;
      }
      if (!(e.value() instanceof Mapping m)) {
        f.problem(e.line(), "'" + e.key() + "' must be a mapping with htcds, ctdc, chi and unodc");
        continue;
      }
      f.allowOnly(m, Set.of("htcds", "ctdc", "chi", "unodc"));
      String htcds = code(f, m, "htcds", HTCDS_TYPES, "HTCDS TypeOfExploitation");
      String unodc = code(f, m, "unodc", UNODC_FORMS, "UNODC form of exploitation");
      String chi = f.string(m, "chi", true);
      List<String> ctdc = new ArrayList<>();
      List<Scalar> flags = f.texts(m, "ctdc");
      boolean bad = false;
      if (flags == null) {
        f.problem(m.line(), "missing 'ctdc': the CTDC exploitation variables this value sets");
        bad = true;
      } else if (flags.isEmpty()) {
        if (m.get("ctdc") instanceof Sequence) f.problem(f.lineOf(m, "ctdc"), "'ctdc' must name at least one CTDC variable");
        bad = true;
      } else {
        for (Scalar s : flags) {
          if (CTDC_FLAGS.contains(s.value())) {
            ctdc.add(s.value());
          } else {
            f.problem(s.line(), "'" + s.value() + "' is not a CTDC exploitation variable; variables: " + String.join(", ", new TreeSet<>(CTDC_FLAGS)));
            bad = true;
          }
        }
      }
      if (!bad && htcds != null && unodc != null && chi != null) {
        out.put(e.key(), new Mapped(htcds, List.copyOf(ctdc), chi, unodc));
      }
    }
  }

  private static String code(ConfigFile f, Mapping m, String field, Set<String> codes, String standard) {
    String v = f.string(m, field, true);
    if (v == null || codes.contains(v)) return v;
    f.problem(f.lineOf(m, field), "'" + v + "' is not a " + standard + "; values: " + String.join(", ", new TreeSet<>(codes)));
    return null;
  }

  private static void readBands(ConfigFile f, Mapping root, List<AgeBand> out) {
    YamlTree t = root.get("ctdcAgeBands");
    if (!(t instanceof Sequence seq) || seq.items().isEmpty()) {
      f.problem(t == null ? root.line() : f.lineOf(root, "ctdcAgeBands"), "'ctdcAgeBands' must list CTDC's age bands from age 0 up");
      return;
    }
    int next = 0;
    boolean open = false;
    for (YamlTree item : seq.items()) {
      if (!(item instanceof Mapping m)) {
        f.problem(item.line(), "each age band must be a mapping: {band: \"9--17\", from: 9, to: 17}");
        return;
      }
      f.allowOnly(m, Set.of("band", "from", "to"));
      String band = f.string(m, "band", true);
      Integer from = f.integer(m, "from", true, 0, Triage.MAX_AGE);
      Integer to = f.integer(m, "to", false, 0, Triage.MAX_AGE);
      if (band == null || from == null || (m.entries().containsKey("to") && to == null)) return;
      if (open) {
        f.problem(m.line(), "band '" + band + "' follows the open top band; only the last band may leave out 'to'");
        return;
      }
      if (from != next && next == 0) {
        f.problem(f.lineOf(m, "from"), "the first age band must start at 0");
        return;
      }
      if (from != next) {
        f.problem(f.lineOf(m, "from"), "band '" + band + "' starts at " + from + " but the band before ends at " + (next - 1) + "; bands must follow on without gaps or overlaps, from 0");
        return;
      }
      if (to != null && to < from) {
        f.problem(f.lineOf(m, "to"), "band '" + band + "' ends before it starts");
        return;
      }
      out.add(new AgeBand(band, from, to));
      if (to == null) open = true;
      else next = to + 1;
    }
    if (!open) f.problem(f.lineOf(root, "ctdcAgeBands"), "the last age band must leave out 'to', so that every age has a band");
  }
}
