package org.sathi.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sathi.config.Countries;
import org.sathi.flow.Areas;

/** The shipped {@code config/places.yaml}, what a caller's words are matched to, the roll-up for tables, and the file's validation. */
class PlacesTest {
  static final Path CONFIG = Path.of("config/places.yaml");
  static Places places;

  @BeforeAll
  static void load() {
    Countries countries = Countries.load(Path.of("config/countries.yaml"), Map.of()).countries();
    Places.Loaded loaded = Places.load(CONFIG, Set.copyOf(countries.isoCodes().values()));
    assertThat(loaded.problems()).as("config/places.yaml must load cleanly").isEmpty();
    places = loaded.places();
  }

  @Test
  void bangladeshHasItsEightDivisionsAndEachOfItsSixtyFourDistrictsInOne() {
    assertThat(places.menu("BD", "en")).extracting(Areas.Choice::code)
        .containsExactly("BD-A", "BD-B", "BD-C", "BD-D", "BD-E", "BD-F", "BD-G", "BD-H");
    assertThat(places.menu("BD", "en")).extracting(Areas.Choice::name)
        .containsExactly("Barishal", "Chattogram", "Dhaka", "Khulna", "Rajshahi", "Rangpur", "Sylhet", "Mymensingh");
    List<Places.Area> districts = places.areas("BD").stream().filter(a -> !a.firstLevel()).toList();
    assertThat(districts).extracting(Places.Area::code).containsExactlyInAnyOrderElementsOf(
        IntStream.rangeClosed(1, 64).mapToObj(i -> "BD-%02d".formatted(i)).toList());
    Map<String, Long> perDivision = districts.stream().collect(Collectors.groupingBy(Places.Area::parent, Collectors.counting()));
    assertThat(perDivision).containsExactlyInAnyOrderEntriesOf(Map.of(
        "BD-A", 6L, "BD-B", 11L, "BD-C", 13L, "BD-D", 10L, "BD-E", 8L, "BD-F", 8L, "BD-G", 4L, "BD-H", 4L));
    assertThat(places.areas("BD")).allSatisfy(a -> assertThat(a.names()).as(a.code()).containsKeys("en", "bn"));
    // Spot checks against ISO 3166-2:BD, whose district numbers follow the older spellings.
    assertThat(places.area("BD-22").orElseThrow().names()).containsEntry("en", "Jashore");
    assertThat(places.area("BD-22").orElseThrow().parent()).isEqualTo("BD-D");
    assertThat(places.area("BD-34").orElseThrow().parent()).as("Mymensingh division since 2015").isEqualTo("BD-H");
    assertThat(places.area("BD-45").orElseThrow().names()).containsEntry("en", "Chapai Nawabganj");
  }

  @Test
  void nepalHasItsSevenProvincesInEnglishAndNepali() {
    assertThat(places.menu("NP", "ne")).extracting(Areas.Choice::code)
        .containsExactly("NP-P1", "NP-P2", "NP-P3", "NP-P4", "NP-P5", "NP-P6", "NP-P7");
    assertThat(places.menu("NP", "ne").get(0).name()).isEqualTo("कोशी");
    assertThat(places.menu("NP", "en").get(6).name()).isEqualTo("Sudurpashchim");
  }

  @Test
  void aMenuIsInTheCallersLanguageWithEnglishWhereANameIsMissing() {
    assertThat(places.menu("BD", "bn")).extracting(Areas.Choice::name).startsWith("বরিশাল", "চট্টগ্রাম", "ঢাকা");
    assertThat(places.menu("NP", "bn").get(0).name()).as("no Bengali name for Koshi").isEqualTo("Koshi");
    assertThat(places.menu("IN", "hi")).as("no areas for India").isEmpty();
  }

  @Test
  void aDistrictRollsUpToItsDivisionAndADivisionStays() {
    assertThat(places.rollUp("BD-22")).as("Jashore").isEqualTo("BD-D");
    assertThat(places.rollUp("BD-13")).as("Dhaka district").isEqualTo("BD-C");
    assertThat(places.rollUp("BD-C")).isEqualTo("BD-C");
    assertThat(places.rollUp("NP-P3")).isEqualTo("NP-P3");
    assertThat(places.rollUp(null)).isNull();
    assertThat(places.rollUp("BD-99")).as("a code this file does not list counts as unknown").isNull();
  }

  @ParameterizedTest(name = "{0} ({1}): {2}")
  @CsvSource(delimiter = '|', value = {
      "BD | bn | খুলনা                          | BD-27",  // Khulna in Bengali script: the district, in Khulna division
      "BD | bn | খুলনায় একটা কারখানায়            | BD-27",  // with the ending "in"
      "BD | en | Khulna                         | BD-27",
      "BD | en | a house in Jashore town        | BD-22",
      "BD | en | near Jessore bus stand         | BD-22",  // the older spelling
      "BD | bn | Jessore                        | BD-22",  // a Latin name in a Bengali conversation
      "BD | en | CHITTAGONG port                | BD-10",
      "BD | en | Chattogram                     | BD-10",
      "BD | en | Comilla                        | BD-08",
      "BD | en | bogra                          | BD-03",
      "BD | en | Barisal                        | BD-06",
      "BD | en | Barishaal                      | BD-06",  // a doubled letter
      "BD | en | Cox's Bazar beach              | BD-11",
      "BD | en | coxsbazar                      | BD-11",
      "BD | en | Cox’s Bazar                    | BD-11",  // a typographic apostrophe
      "BD | en | chapai-nawabganj               | BD-45",
      "BD | en | Chattogrām                     | BD-10",  // an accent is ignored
      "BD | en | mymen                          | BD-34",  // a short answer: the start of one name
      "BD | en | Sylhet division                | BD-60",
      "NP | ne | बागमतीमा                      | NP-P3",
      "NP | en | Province 1                     | NP-P1",
      "NP | en | far west                       | NP-P7"})
  void aCallersWordsAreMatchedToTheMostSpecificArea(String country, String language, String text, String area) {
    assertThat(places.match(country, language, text)).as(text).contains(area);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "near the river",
      "a brick kiln by the highway",
      "ভোলানো",                    // begins like ভোলা (Bhola) but is another word
      "from Jashore to Dhaka",        // two divisions: not clear which
      "Dha",                          // too short to be the start of a name
      "Kathmandu"})                   // Nepal's, not Bangladesh's
  void wordsThatNameNoAreaOrSeveralGiveNone(String text) {
    assertThat(places.match("BD", "bn", text)).as(text).isEmpty();
  }

  @Test
  void withinAChosenDivisionOnlyItsDistrictsCount() {
    assertThat(places.match("BD", "en", "Jashore", "BD-D")).contains("BD-22");
    assertThat(places.match("BD", "en", "Dhaka", "BD-D")).as("Dhaka is not in Khulna division").isEmpty();
    assertThat(places.match("BD", "en", "Jashore and Dhaka", "BD-D")).as("the part within the division").contains("BD-22");
  }

  @Test
  void twoDistrictsOfOneDivisionGiveTheDivision() {
    assertThat(places.match("BD", "en", "from Satkhira to Jashore")).contains("BD-D");
  }

  @Test
  void aCallerIsKnownByTheCallingCodeOfTheirCountry() {
    Areas areas = places.forCallers(Countries.load(Path.of("config/countries.yaml"), Map.of()).countries());
    assertThat(areas.callingCodes()).containsExactlyInAnyOrder("880", "977");
    assertThat(areas.choices("880", "bn")).hasSize(8);
    assertThat(areas.choices("91", "hi")).isEmpty();
    assertThat(areas.choices(null, "en")).isEmpty();
    assertThat(areas.match("880", "bn", "যশোর", null)).contains("BD-22");
    assertThat(areas.match("977", "en", "Jashore", null)).as("a Nepali caller's words are matched against Nepal").isEmpty();
    assertThat(areas.name("BD-22", "bn")).isEqualTo("যশোর");
    assertThat(areas.rollUp("BD-22")).isEqualTo("BD-D");
  }

  // ---- validation ------------------------------------------------------------------------------

  static List<String> problems(Path dir, String yaml) throws IOException {
    Path file = Files.writeString(dir.resolve("places.yaml"), yaml);
    Places.Loaded loaded = Places.load(file, Set.of("BD", "NP"));
    if (!loaded.problems().isEmpty()) assertThat(loaded.places()).isNull();
    return loaded.problems().stream().map(p -> p.toString().replace(dir + "/", "")).toList();
  }

  @Test
  void eachMistakeIsNamedWithItsLine(@TempDir Path dir) throws IOException {
    String yaml = """
        countries:
          BD:
            areas:
              - { code: BD-A, name: { en: Barishal } }
              - { code: BD-02, parent: BD-A, name: { en: Barguna } }
              - { code: BD-02, parent: BD-A, name: { en: Barguna again } }
              - { code: NP-P1, name: { en: Koshi } }
              - { code: bd-x, name: { en: Lower } }
              - { code: BD-03, parent: BD-02, name: { en: Bogura } }
              - { code: BD-04, parent: BD-Z, name: { en: Brahmanbaria } }
              - { code: BD-05, name: { en: "", bn: বাগেরহাট } }
              - { code: BD-06, name: { bn: বরিশাল } }
          XX:
            areas:
              - { code: XX-1, name: { en: Nowhere } }
          Nepal:
            areas: []
        """;
    assertThat(problems(dir, yaml)).containsExactly(
        "places.yaml:6: area code BD-02 is listed twice (also on line 5)",
        "places.yaml:7: area code NP-P1 is listed under BD but does not start with BD-",
        "places.yaml:8: area code 'bd-x' is not an ISO 3166-2 code: the country's two letters, a hyphen and 1 to 3 letters or digits, such as BD-A",
        "places.yaml:9: area BD-03 is in BD-02, which is itself in BD-A; 'parent' must be a first-level area of BD (two levels only)",
        "places.yaml:10: area BD-04 is in 'BD-Z', which is not listed; 'parent' must be a first-level area of BD",
        "places.yaml:11: the en name is empty",
        "places.yaml:12: every area needs an English name (en): menus and the console fall back to it",
        "places.yaml:13: unknown country XX: config/countries.yaml has no country with iso: XX (it has BD, NP)",
        "places.yaml:16: country 'Nepal' must be an ISO 3166-1 alpha-2 code, two capital letters, such as BD");
  }

  @Test
  void aParentInAnotherCountryIsRefused(@TempDir Path dir) throws IOException {
    assertThat(problems(dir, """
        countries:
          NP:
            areas:
              - { code: NP-P1, name: { en: Koshi } }
          BD:
            areas:
              - { code: BD-A, name: { en: Barishal } }
              - { code: BD-02, parent: NP-P1, name: { en: Barguna } }
        """)).containsExactly("places.yaml:8: area BD-02 is in 'NP-P1', which is not an area of BD; 'parent' must be a first-level area of BD");
  }

  @Test
  void unknownFieldsAndAMissingListAreNamed(@TempDir Path dir) throws IOException {
    assertThat(problems(dir, """
        countries:
          BD:
            divisions: []
        """)).containsExactlyInAnyOrder(
        "places.yaml:3: country BD needs 'areas': a list of { code, name: { en: ... }, parent, also }",
        "places.yaml:3: unknown field 'divisions'; allowed here: areas, levels, name");
  }

  @Test
  void withoutTheFileNoCallerIsAsked(@TempDir Path dir) {
    Places.Loaded loaded = Places.load(dir.resolve("places.yaml"), Set.of("BD"));
    assertThat(loaded.problems()).isEmpty();
    assertThat(loaded.places().countries()).isEmpty();
    assertThat(loaded.places().match("BD", "en", "Khulna")).isEqualTo(Optional.empty());
  }

  @Test
  void theShippedCodesAreTheIsoOnesWithoutDuplicates() {
    Set<String> codes = new TreeSet<>();
    for (String c : places.countries()) for (Places.Area a : places.areas(c)) assertThat(codes.add(a.code())).as(a.code()).isTrue();
    assertThat(codes).allMatch(code -> code.matches("(BD-([A-H]|\\d\\d))|(NP-P[1-7])"));
  }

  @Test
  void aMistakeInPlacesYamlStopsTheFlowsFromLoadingWithItsLine(@TempDir Path dir) throws IOException {
    Path config = Files.createDirectories(dir.resolve("config"));
    Files.copy(Path.of("config/countries.yaml"), config.resolve("countries.yaml"));
    Files.copy(Path.of("config/directory.yaml"), config.resolve("directory.yaml"));
    String shipped = Files.readString(CONFIG);
    Files.writeString(config.resolve("places.yaml"), shipped.replace("code: BD-27,", "code: BD-22,"));
    int line = (int) shipped.substring(0, shipped.indexOf("code: BD-27,")).chars().filter(c -> c == '\n').count() + 1;
    var result = org.sathi.flow.load.FlowLoader.load(Path.of("ivr-flows"), Map.of("emergency", "112"), 2, config.resolve("directory.yaml"));
    assertThat(result.bundle()).isNull();
    assertThat(result.problems()).extracting(Object::toString)
        .anySatisfy(p -> assertThat(p).startsWith(config.resolve("places.yaml") + ":" + line + ": area code BD-22 is listed twice"));
  }

  @Test
  void theShippedFlowsCarryTheShippedPlaces() {
    var result = org.sathi.flow.load.FlowLoader.load(Path.of("ivr-flows"), Map.of("emergency", "112"), 2, Path.of("config/directory.yaml"));
    assertThat(result.problems()).isEmpty();
    assertThat(result.places().rollUp("BD-22")).isEqualTo("BD-D");
    assertThat(result.bundle().areas().choices("880", "bn")).hasSize(8);
  }

  @Test
  void anIsoCodeInCountriesYamlIsTwoCapitalLettersAndListedOnce(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("countries.yaml"), """
        countries:
          - { callingCode: "880", iso: BD, name: Bangladesh, numbers: { emergency: { number: "999", source: "999.gov.bd" } } }
          - { callingCode: "881", iso: BD, name: Twice, numbers: { emergency: { number: "999", source: "x" } } }
          - { callingCode: "977", iso: Nepal, name: Nepal, numbers: { emergency: { number: "100", source: "x" } } }
        """);
    Countries.Loaded loaded = Countries.load(file, Map.of());
    assertThat(loaded.problems()).extracting(Object::toString).containsExactly(
        file + ":3: iso BD is listed twice",
        file + ":4: 'iso' must be the ISO 3166-1 alpha-2 code, two capital letters, such as BD");
    assertThat(loaded.countries().iso("880")).isEqualTo("BD");
  }
}
