package org.sathi.flow.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.sathi.config.ConfigFile;
import org.sathi.config.YamlTree;
import org.sathi.config.YamlTree.Entry;
import org.sathi.config.YamlTree.Mapping;
import org.sathi.config.YamlTree.Scalar;
import org.sathi.config.YamlTree.Sequence;
import org.sathi.flow.Directory;
import org.sathi.flow.Node.Source;
import org.sathi.flow.node.NodeReader.KeyUse;
import org.sathi.i18n.Languages;

/** Reads {@code config/directory.yaml}: the numbers abroad that a directory node lists, country by country. */
final class DirectoryFile {
  /** Countries a directory node may list: one digit each. */
  static final int MAX_COUNTRIES = 9;
  static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{1,19}");

  private final ConfigFile file;

  DirectoryFile(Path path) {
    this.file = new ConfigFile(path);
  }

  ConfigFile file() {
    return file;
  }

  /** The directory; each country's name and each kind of number become message keys the catalogs must have. */
  Directory read(Path path, Languages languages, List<KeyUse> keyUses) {
    if (!Files.exists(path)) {
      file.problem(1, "a flow has a directory node, but there is no " + file.name + "; create it (see the sample in the project)");
      return Directory.empty();
    }
    Mapping root = file.read(path);
    if (root == null) return Directory.empty();
    file.allowOnly(root, Set.of("countries"));
    if (!(root.get("countries") instanceof Sequence seq) || seq.items().isEmpty()) {
      file.problem(root.line(), "'countries' must be a list of at least one country");
      return Directory.empty();
    }
    if (seq.items().size() > MAX_COUNTRIES) {
      file.problem(seq.line(), seq.items().size() + " countries; at most " + MAX_COUNTRIES + " (one digit each)");
    }
    List<Directory.Country> countries = new ArrayList<>();
    Set<String> codes = new HashSet<>();
    for (YamlTree item : seq.items()) {
      if (!(item instanceof Mapping m)) {
        file.problem(item.line(), "a country is a mapping: code, sample, emergency, police, helpline, embassy");
        continue;
      }
      Directory.Country country = country(m, languages, codes);
      if (country == null) continue;
      countries.add(country);
      keyUses.add(new KeyUse("country." + country.code(), country.source()));
    }
    for (String kind : Directory.KINDS) keyUses.add(new KeyUse("directory." + kind, new Source(file.name, root.line())));
    return new Directory(List.copyOf(countries));
  }

  private Directory.Country country(Mapping m, Languages languages, Set<String> codes) {
    file.allowOnly(m, Set.of("code", "sample", "emergency", "police", "helpline", "embassy"));
    String code = file.string(m, "code", true);
    if (code == null) return null;
    if (!code.matches("[A-Z]{2}")) file.problem(file.lineOf(m, "code"), "country code '" + code + "' must be two capital letters (ISO 3166), such as MY");
    if (!codes.add(code)) file.problem(m.line(), "country " + code + " is listed twice");
    Map<String, String> numbers = new LinkedHashMap<>();
    for (String kind : List.of("emergency", "police", "helpline")) {
      String n = file.string(m, kind, false);
      if (n != null && !PHONE.matcher(n).matches()) file.problem(file.lineOf(m, kind), "'" + n + "' is not a phone number");
      if (n != null) numbers.put(kind, n);
    }
    Map<String, String> embassy = new LinkedHashMap<>();
    YamlTree e = m.get("embassy");
    if (e instanceof Mapping em) {
      for (Entry en : em.entries().values()) {
        String n = en.value() instanceof Scalar sc ? sc.value() : null;
        if (languages != null && languages.byCode(en.key()).isEmpty()) {
          file.problem(en.line(), "embassy numbers are by the caller's language; '" + en.key() + "' is not an enabled language");
        } else if (n == null || !PHONE.matcher(n).matches()) {
          file.problem(en.line(), "the embassy number for " + en.key() + " is not a phone number");
        } else {
          embassy.put(en.key(), n);
        }
      }
    } else if (e != null) {
      file.problem(e.line(), "'embassy' maps a language to the number of its country's embassy, such as { bn: \"+60 3 0000 0000\" }");
    }
    if (numbers.isEmpty() && embassy.isEmpty()) file.problem(m.line(), "country " + code + " has no number");
    return new Directory.Country(code, file.bool(m, "sample", false), Map.copyOf(numbers), Map.copyOf(embassy), new Source(file.name, m.line()));
  }
}
