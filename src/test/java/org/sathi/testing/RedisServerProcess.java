package org.sathi.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A private redis-server for one test class: a free port, AOF on and synced on every write (what
 * Sathi's readiness asks for), a temp dir. Tests can pause it
 * (SIGSTOP, as a hung Redis), stop it and start it again on the same port and data.
 * The binary is {@code redis-server} on the PATH, or {@code -Dsathi.redis.server=/path}.
 */
public final class RedisServerProcess implements AutoCloseable {
  private final Path dir;
  private final int port;
  private Process process;

  private RedisServerProcess(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static RedisServerProcess start() throws Exception {
    Path dir = Files.createTempDirectory("sathi-redis-");
    RedisServerProcess r = new RedisServerProcess(dir, freePort());
    r.startProcess();
    return r;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public synchronized void startProcess() throws Exception {
    String binary = System.getProperty("sathi.redis.server", "redis-server");
    process = new ProcessBuilder(List.of(binary,
        "--port", String.valueOf(port), "--bind", "127.0.0.1",
        "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
        "--save", "", "--logfile", dir.resolve("redis.log").toString()))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile())
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (!process.isAlive()) throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("stdout.log")));
        Thread.sleep(20);
      }
    }
    throw new IllegalStateException("redis-server did not start on port " + port);
  }

  /** SIGSTOP: the socket stays open but nothing answers, as with a hung Redis. */
  public void pause() throws Exception {
    signal("STOP");
  }

  public void resume() throws Exception {
    signal("CONT");
  }

  public synchronized void stop() throws Exception {
    if (process != null && process.isAlive()) {
      signal("CONT");
      process.destroy();
      process.waitFor();
    }
  }

  /** SIGKILL: Redis dies without a chance to flush or say goodbye. */
  public synchronized void kill() throws Exception {
    if (process != null && process.isAlive()) {
      signal("CONT");
      process.destroyForcibly();
      process.waitFor();
    }
  }

  private void signal(String name) throws Exception {
    new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start().waitFor();
  }

  /** A separate connection for the test's own checks. */
  public StatefulRedisConnection<String, String> connect() {
    return RedisClient.create().connect(RedisURI.create(url()));
  }

  @Override
  public void close() throws Exception {
    stop();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
