package org.sathi.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Argon2id in the PHC form, the PBKDF2 hashes of earlier releases, costs, and when to rehash. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PasswordsTest {
  static final String PASSWORD = "kite-river-lantern-42";
  static final Passwords.Cost MINIMUM = Passwords.Cost.MINIMUM;
  static final Passwords.Cost DEFAULT = Passwords.Cost.DEFAULT;

  /** A hash as releases before Argon2id stored it: {@code pbkdf2-sha256$ITERATIONS$SALT$HASH}, made with the JDK alone. */
  static String pbkdf2(String password, int iterations) throws Exception {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    PBEKeySpec spec = new PBEKeySpec(java.text.Normalizer.normalize(password, java.text.Normalizer.Form.NFKC).toCharArray(), salt, iterations, 256);
    byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "pbkdf2-sha256$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  /** Argon2id straight from Bouncy Castle, at any cost (also ones Passwords refuses). */
  static String argon2id(String password, int memoryKib, int iterations) {
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(Argon2Parameters.ARGON2_VERSION_13)
        .withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(1).withSalt(salt).build());
    byte[] hash = new byte[32];
    generator.generateBytes(password.getBytes(java.nio.charset.StandardCharsets.UTF_8), hash);
    Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
    return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
  }

  @Test
  void aHashFromTheReferenceImplementationMatches() {
    // The Argon2 reference implementation's test vector (argon2 "password" -id -t 2 -m 16 -p 1, salt "somesalt").
    String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    assertThat(Passwords.matchesNow("password", reference)).isTrue();
    assertThat(Passwords.matchesNow("Password", reference)).isFalse();
  }

  @Test
  void aNewHashIsArgon2idInThePhcFormAtTheChosenCost() {
    String stored = Passwords.hashNow(PASSWORD, DEFAULT);
    assertThat(stored).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    String[] parts = stored.split("\\$");
    assertThat(Base64.getDecoder().decode(parts[4])).hasSize(16);
    assertThat(Base64.getDecoder().decode(parts[5])).hasSize(32);
    assertThat(Passwords.matchesNow(PASSWORD, stored)).isTrue();
    assertThat(Passwords.matchesNow(PASSWORD + " ", stored)).isFalse();
    assertThat(Passwords.hashNow(PASSWORD, DEFAULT)).as("a fresh salt each time").isNotEqualTo(stored);
    assertThat(Passwords.hashNow(PASSWORD, MINIMUM)).startsWith("$argon2id$v=19$m=7168,t=5,p=1$");
    assertThat(new Passwords().cost()).isEqualTo(DEFAULT);
  }

  @Test
  void theSamePasswordTypedOnAnotherKeyboardMatches() {
    String stored = Passwords.hashNow("ｋｉｔｅ－ｒｉｖｅｒ－４２", MINIMUM); // full-width forms, NFKC-normalised
    assertThat(Passwords.matchesNow("kite-river-42", stored)).isTrue();
    assertThat(Passwords.matchesNow("সুরক্ষিত-পাসওয়ার্ড-২০২৬", Passwords.hashNow("সুরক্ষিত-পাসওয়ার্ড-২০২৬", MINIMUM))).isTrue();
  }

  @Test
  void aPbkdf2HashOfAnEarlierReleaseStillMatches() throws Exception {
    String legacy = pbkdf2(PASSWORD, 210_000);
    assertThat(Passwords.matchesNow(PASSWORD, legacy)).isTrue();
    assertThat(Passwords.matchesNow(PASSWORD + "x", legacy)).isFalse();
    assertThat(Passwords.matchesNow(PASSWORD, pbkdf2(PASSWORD, 1_000))).as("fewer iterations than any release wrote").isFalse();
  }

  @Test
  void aCostBelowOwaspsLowestIsRefusedAndAHashAtSuchACostNeverMatches() {
    assertThat(new Passwords.Cost(47_104, 1, 1)).isNotNull();
    assertThat(new Passwords.Cost(12_288, 3, 1)).isNotNull();
    assertThat(new Passwords.Cost(9_216, 4, 2)).isNotNull();
    assertThatThrownBy(() -> new Passwords.Cost(7_168, 4, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Passwords.Cost(4_096, 20, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Passwords.Cost(35_840, 1, 1)).as("as much work as m=7168 t=5, but one pass of less than 46 MiB")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Passwords.Cost(19_456, 2, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Passwords.Cost(1 << 22, 2, 1)).as("more memory than the workers may take").isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Passwords(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Passwords.matchesNow(PASSWORD, argon2id(PASSWORD, 4_096, 3))).isFalse();
    assertThat(Passwords.matchesNow(PASSWORD, argon2id(PASSWORD, 7_168, 5))).isTrue();
  }

  @Test
  void aMalformedOrForeignStoredFormNeverMatchesAndNeverThrows() {
    String good = Passwords.hashNow(PASSWORD, MINIMUM);
    for (String stored : new String[] {"", "$", "$argon2id$", good.replace("v=19", "v=16"), good.replace("$argon2id$", "$argon2i$"),
        good.replace("m=7168", "m=x"), good.replace("m=7168", "m=99999999999"), good.substring(0, good.lastIndexOf('$')) + "$",
        good.substring(0, good.lastIndexOf('$')) + "$AAAA", good.replaceFirst("\\$[A-Za-z0-9+/]{22}\\$", "\\$c2FsdA\\$"),
        "pbkdf2-sha256$x$y$z", "pbkdf2-sha256$600000$!!$!!", "bcrypt$2b$12$abc", PASSWORD}) {
      assertThat(Passwords.matchesNow(PASSWORD, stored)).as(stored).isFalse();
    }
  }

  @Test
  void anOldSchemeOrALowerCostNeedsARehash() throws Exception {
    Passwords current = new Passwords(DEFAULT);
    assertThat(current.needsRehash(pbkdf2(PASSWORD, 210_000))).isTrue();
    assertThat(current.needsRehash(Passwords.hashNow(PASSWORD, MINIMUM))).as("less memory").isTrue();
    assertThat(current.needsRehash("$argon2id$v=19$m=19456,t=2,p=2$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).isFalse();
    assertThat(current.needsRehash(Passwords.hashNow(PASSWORD, DEFAULT))).isFalse();
    assertThat(current.needsRehash("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).as("stronger").isFalse();
    assertThat(current.needsRehash("$argon2id$v=19$m=47104,t=1,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).as("more memory").isFalse();
    assertThat(new Passwords(new Passwords.Cost(19_456, 3, 1)).needsRehash(Passwords.hashNow(PASSWORD, DEFAULT))).as("as much memory, fewer passes").isTrue();
    assertThat(new Passwords(MINIMUM).needsRehash(Passwords.hashNow(PASSWORD, DEFAULT))).as("a test's cheaper cost downgrades nothing").isFalse();
    assertThat(current.needsRehash("something else")).isTrue();
    assertThat(current.needsRehash(null)).isFalse();
  }

  @Test
  void hashingIsRefusedOnAnEventLoop(Vertx vertx, VertxTestContext test) throws Exception {
    String stored = Passwords.hashNow(PASSWORD, MINIMUM);
    String legacy = pbkdf2(PASSWORD, 210_000);
    vertx.runOnContext(v -> test.verify(() -> {
      assertThatThrownBy(() -> Passwords.hashNow(PASSWORD, MINIMUM)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> Passwords.matchesNow(PASSWORD, stored)).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> Passwords.matchesNow(PASSWORD, legacy)).isInstanceOf(IllegalStateException.class);
      test.completeNow();
    }));
  }

  @Test
  void theWorkersHashAndCheckAndSayNoWithoutAStoredHash(Vertx vertx, VertxTestContext test) {
    Passwords passwords = new Passwords(MINIMUM);
    vertx.runOnContext(v -> passwords.hash(PASSWORD)
        .compose(stored -> passwords.matches(PASSWORD, stored)
            .compose(ok -> passwords.matches(PASSWORD, null).map(decoy -> new boolean[] {ok, decoy})))
        .compose(r -> passwords.matches("x".repeat(Passwords.MAX_LENGTH + 1), null).map(tooLong -> new boolean[] {r[0], r[1], tooLong}))
        .onComplete(test.succeeding(r -> test.verify(() -> {
          assertThat(r[0]).as("the right password").isTrue();
          assertThat(r[1]).as("no account").isFalse();
          assertThat(r[2]).as("too long").isFalse();
          test.completeNow();
        }))));
  }
}
