package org.sathi.console;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Officer passwords, hashed with Argon2id (Bouncy Castle): a random 16-byte salt per password, a
 * 32-byte hash, {@link Cost#DEFAULT} (OWASP's m=19 MiB, t=2, p=1) unless told otherwise, and a
 * constant-time compare. Passwords are NFKC-normalised first, as NIST SP 800-63B asks, so the same
 * password typed on two keyboards hashes the same.
 *
 * <p>The stored form is the PHC string that other Argon2 tools read and write,
 * {@code $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH} (base64 without padding), so it names its own
 * cost. Hashes from before Argon2, {@code pbkdf2-sha256$ITERATIONS$SALT$HASH}, are still verified;
 * {@link #needsRehash} says when a stored hash is of that kind or of a lower cost than the current
 * one, and the accounts then store a fresh hash after the next successful login.
 *
 * <p>Hashing is deliberately slow and memory-hungry, so it runs on a small pool of its own, never on
 * an event loop, and the result comes back on the caller's Vert.x context. The pool's size also caps
 * the CPU and memory a flood of logins can take from the rest of the server. {@link #hashNow} and
 * {@link #matchesNow} refuse to run on an event loop.
 */
public final class Passwords {
  public static final String ALGORITHM = "argon2id";
  /** Argon2 version 1.3, the only one written or read. */
  static final int VERSION = Argon2Parameters.ARGON2_VERSION_13;
  /** The scheme of hashes stored before Argon2id: only verified, never written. */
  static final String PBKDF2 = "pbkdf2-sha256";
  /** PBKDF2 hashes with fewer iterations than this never match (no release wrote them). */
  static final int PBKDF2_MIN_ITERATIONS = 210_000;
  public static final int MIN_LENGTH = 12;
  /** Longer passwords are refused rather than hashed: bounds the work one request can cause. */
  public static final int MAX_LENGTH = 1024;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;
  /** Salts and hashes of other lengths than ours are read, within these bounds (RFC 9106's and the PHC's). */
  static final int MIN_SALT_BYTES = 8;
  static final int MIN_HASH_BYTES = 16;
  static final int MAX_HASH_BYTES = 64;
  static final int THREADS = 2;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();
  private static final Pattern PHC = Pattern.compile(
      "\\$argon2id\\$v=19\\$m=([0-9]{1,9}),t=([0-9]{1,9}),p=([0-9]{1,9})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");

  /** Shared by every instance; daemon threads, so nothing needs closing. */
  private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS,
      Thread.ofPlatform().daemon().name("sathi-passwords-", 0).factory());

  /**
   * An Argon2id cost: memory in KiB, passes, lanes. Never below OWASP's lowest: at least the memory
   * and passes of one of its five equally strong configurations (m=47104 t=1, 19456 t=2, 12288 t=3,
   * 9216 t=4, 7168 t=5); a stored hash of a lower cost never matches. The upper bounds keep a
   * tampered stored hash from tying up the password workers.
   */
  public record Cost(int memoryKib, int iterations, int parallelism) {
    // Before DEFAULT and MINIMUM: their construction checks against these.
    static final int MAX_MEMORY_KIB = 1 << 20;
    static final int MAX_ITERATIONS = 64;
    static final int MAX_PARALLELISM = 16;
    /** OWASP's Argon2id configurations, {memory KiB, passes}; each is as strong as the others. */
    private static final List<int[]> OWASP = List.of(
        new int[] {47_104, 1}, new int[] {19_456, 2}, new int[] {12_288, 3}, new int[] {9_216, 4}, new int[] {7_168, 5});
    /** OWASP's recommended configuration: m=19 MiB, t=2, p=1 (some 50-100 ms of one core). */
    public static final Cost DEFAULT = new Cost(19_456, 2, 1);
    /** The cheapest cost allowed (OWASP's m=7 MiB, t=5, p=1); tests use it. */
    public static final Cost MINIMUM = new Cost(7_168, 5, 1);

    public Cost {
      if (OWASP.stream().noneMatch(o -> memoryKib >= o[0] && iterations >= o[1])) {
        throw new IllegalArgumentException("an Argon2id cost is at least m=7168 KiB and t=5, or one of OWASP's other settings (m=19456 t=2, ...)");
      }
      if (memoryKib > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || parallelism < 1 || parallelism > MAX_PARALLELISM) {
        throw new IllegalArgumentException("an Argon2id cost is at most m=" + MAX_MEMORY_KIB + " KiB, t=" + MAX_ITERATIONS
            + ", p=1.." + MAX_PARALLELISM);
      }
    }

    /** Less memory than {@code other}, or as much and fewer passes: a hash of this cost is redone at {@code other}. */
    public boolean weakerThan(Cost other) {
      return memoryKib < other.memoryKib || (memoryKib == other.memoryKib && iterations < other.iterations);
    }

    /** As in the PHC string: {@code m=19456,t=2,p=1}. */
    String phc() {
      return "m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism;
    }
  }

  private final Cost cost;
  /** Checked when there is no such account, so that a wrong name costs as long as a wrong password. */
  private final String decoy;

  public Passwords() {
    this(Cost.DEFAULT);
  }

  /** With another cost for new hashes (a {@link Cost} is never below {@link Cost#MINIMUM}); stored hashes keep their own. */
  public Passwords(Cost cost) {
    if (cost == null) throw new IllegalArgumentException("an Argon2id cost is needed");
    this.cost = cost;
    this.decoy = phc(cost, new byte[SALT_BYTES], new byte[HASH_BYTES]);
  }

  public Cost cost() {
    return cost;
  }

  /** Whether a password is acceptable for a new account: 12 to 1024 characters. */
  public static boolean acceptable(String password) {
    if (password == null) return false;
    int length = password.codePointCount(0, password.length());
    return length >= MIN_LENGTH && password.length() <= MAX_LENGTH;
  }

  /** The stored form of a new password, computed on the password workers. */
  public Future<String> hash(String password) {
    return offTheEventLoop(() -> hashNow(password, cost));
  }

  /** Whether the password matches the stored form; with {@code stored} null, spends the same time and says no. */
  public Future<Boolean> matches(String password, String stored) {
    if (password == null || password.length() > MAX_LENGTH) return Future.succeededFuture(false);
    String against = stored == null ? decoy : stored;
    return offTheEventLoop(() -> matchesNow(password, against) && stored != null);
  }

  /**
   * Whether a stored form that just matched should be replaced by a fresh hash: it is PBKDF2, or
   * Argon2id at a cost {@linkplain Cost#weakerThan weaker} than this instance's. Cheap (no hashing).
   */
  public boolean needsRehash(String stored) {
    if (stored == null) return false;
    Matcher m = PHC.matcher(stored);
    if (!m.matches()) return true;
    try {
      return new Cost(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))).weakerThan(cost);
    } catch (IllegalArgumentException unreadable) {
      return true;
    }
  }

  /** Runs on the password pool; the result is delivered on the caller's context, as Redis results are. */
  private static <T> Future<T> offTheEventLoop(Callable<T> work) {
    Context caller = Vertx.currentContext();
    CompletableFuture<T> done = CompletableFuture.supplyAsync(() -> {
      try {
        return work.call();
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, POOL);
    return caller == null ? Future.fromCompletionStage(done) : Future.fromCompletionStage(done, caller);
  }

  static String hashNow(String password, Cost cost) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return phc(cost, salt, argon2id(password, salt, cost, HASH_BYTES));
  }

  private static String phc(Cost cost, byte[] salt, byte[] hash) {
    return "$" + ALGORITHM + "$v=19$" + cost.phc() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** False for a stored form that is malformed, of an unknown scheme, or of a cost below the minimum. */
  static boolean matchesNow(String password, String stored) {
    try {
      Matcher m = PHC.matcher(stored);
      if (m.matches()) {
        Cost cost = new Cost(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        byte[] salt = B64D.decode(m.group(4));
        byte[] expected = B64D.decode(m.group(5));
        if (salt.length < MIN_SALT_BYTES || expected.length < MIN_HASH_BYTES || expected.length > MAX_HASH_BYTES) return false;
        return MessageDigest.isEqual(argon2id(password, salt, cost, expected.length), expected);
      }
      String[] parts = stored.split("\\$");
      if (parts.length != 4 || !parts[0].equals(PBKDF2)) return false;
      int rounds = Integer.parseInt(parts[1]);
      if (rounds < PBKDF2_MIN_ITERATIONS) return false;
      byte[] expected = B64D.decode(parts[3]);
      return MessageDigest.isEqual(pbkdf2(password, B64D.decode(parts[2]), rounds), expected);
    } catch (IllegalArgumentException malformed) { // NumberFormatException, bad base64, a cost out of bounds
      return false;
    }
  }

  private static byte[] argon2id(String password, byte[] salt, Cost cost, int length) {
    refuseOnEventLoop();
    byte[] secret = normalised(password).getBytes(StandardCharsets.UTF_8);
    Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
        .withVersion(VERSION)
        .withMemoryAsKB(cost.memoryKib())
        .withIterations(cost.iterations())
        .withParallelism(cost.parallelism())
        .withSalt(salt)
        .build();
    try {
      Argon2BytesGenerator generator = new Argon2BytesGenerator();
      generator.init(parameters);
      byte[] out = new byte[length];
      generator.generateBytes(secret, out);
      return out;
    } finally {
      Arrays.fill(secret, (byte) 0);
      parameters.clear();
    }
  }

  /** The scheme before Argon2id, kept to verify the hashes it stored. */
  private static byte[] pbkdf2(String password, byte[] salt, int iterations) {
    refuseOnEventLoop();
    PBEKeySpec spec = new PBEKeySpec(normalised(password).toCharArray(), salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
    } finally {
      spec.clearPassword();
    }
  }

  private static String normalised(String password) {
    return Normalizer.normalize(password, Normalizer.Form.NFKC);
  }

  private static void refuseOnEventLoop() {
    if (Context.isOnEventLoopThread()) throw new IllegalStateException("password hashing must not run on an event loop");
  }
}
