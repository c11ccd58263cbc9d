package org.sathi.console;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Officer passwords, hashed with PBKDF2-HMAC-SHA256 from the JDK (no extra dependency): a random
 * 16-byte salt per password, {@link #DEFAULT_ITERATIONS} iterations, a constant-time compare.
 *
 * <p>The stored form names its algorithm and cost, {@code pbkdf2-sha256$600000$salt$hash}, so that
 * a later release can move to Argon2id or bcrypt (the console issue asks for them): check the
 * prefix, verify with the old scheme, and store a new hash at the next successful login.
 *
 * <p>Hashing is deliberately slow (a few hundred ms of CPU), so it runs on a small pool of its own,
 * never on an event loop, and the result comes back on the caller's Vert.x context. The pool's size
 * also caps the CPU a flood of logins can take from the rest of the server. {@link #hashNow} and
 * {@link #matchesNow} refuse to run on an event loop.
 */
public final class Passwords {
  public static final String ALGORITHM = "pbkdf2-sha256";
  /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;
  /** Never fewer (tests use this to stay quick). */
  public static final int MIN_ITERATIONS = 210_000;
  public static final int MIN_LENGTH = 12;
  /** Longer passwords are refused rather than hashed: bounds the work one request can cause. */
  public static final int MAX_LENGTH = 1024;
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;
  static final int THREADS = 2;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  /** Shared by every instance; daemon threads, so nothing needs closing. */
  private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS,
      Thread.ofPlatform().daemon().name("sathi-passwords-", 0).factory());

  private final int iterations;
  /** Checked when there is no such account, so that a wrong name costs as long as a wrong password. */
  private final String decoy;

  public Passwords() {
    this(DEFAULT_ITERATIONS);
  }

  /** With another cost for new hashes (never below {@link #MIN_ITERATIONS}); stored hashes keep their own. */
  public Passwords(int iterations) {
    if (iterations < MIN_ITERATIONS) throw new IllegalArgumentException("at least " + MIN_ITERATIONS + " iterations");
    this.iterations = iterations;
    this.decoy = ALGORITHM + "$" + iterations + "$" + B64.encodeToString(new byte[SALT_BYTES]) + "$" + B64.encodeToString(new byte[HASH_BYTES]);
  }

  /** Whether a password is acceptable for a new account: 12 to 1024 characters. */
  public static boolean acceptable(String password) {
    if (password == null) return false;
    int length = password.codePointCount(0, password.length());
    return length >= MIN_LENGTH && password.length() <= MAX_LENGTH;
  }

  /** The stored form of a new password, computed on the password workers. */
  public Future<String> hash(String password) {
    return offTheEventLoop(() -> hashNow(password, iterations));
  }

  /** Whether the password matches the stored form; with {@code stored} null, spends the same time and says no. */
  public Future<Boolean> matches(String password, String stored) {
    if (password == null || password.length() > MAX_LENGTH) return Future.succeededFuture(false);
    String against = stored == null ? decoy : stored;
    return offTheEventLoop(() -> matchesNow(password, against) && stored != null);
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

  static String hashNow(String password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return ALGORITHM + "$" + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(derive(password, salt, iterations));
  }

  static boolean matchesNow(String password, String stored) {
    String[] parts = stored.split("\\$");
    if (parts.length != 4 || !parts[0].equals(ALGORITHM)) return false; // another scheme: a later release knows it
    try {
      int rounds = Integer.parseInt(parts[1]);
      if (rounds < MIN_ITERATIONS) return false;
      byte[] expected = B64D.decode(parts[3]);
      return MessageDigest.isEqual(derive(password, B64D.decode(parts[2]), rounds), expected);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    if (Context.isOnEventLoopThread()) throw new IllegalStateException("password hashing must not run on an event loop");
    // NFKC, as NIST SP 800-63B asks: the same password typed on two keyboards hashes the same.
    PBEKeySpec spec = new PBEKeySpec(Normalizer.normalize(password, Normalizer.Form.NFKC).toCharArray(), salt, iterations, HASH_BYTES * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JVM", e);
    } finally {
      spec.clearPassword();
    }
  }
}
