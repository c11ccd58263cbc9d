package org.sathi.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.sathi.channel.Channels;
import org.sathi.channel.smpp.SimulatedSmsc;
import org.sathi.simulator.SimulatorScript;

/**
 * A phone on an operator's network: its texts reach Sathi as {@code deliver_sm} through a
 * {@link SimulatedSmsc}, and what Sathi submits back to it is its reply.
 */
public final class SmppPhone implements SimulatorScript.Texts {
  public static final String SHORT_CODE = "10921";
  public static final String SYSTEM_ID = "sathi";
  public static final String PASSWORD = "sim-pass";
  public static final String CHANNEL = "bd-operator";

  private final SimulatedSmsc smsc;
  private final Duration wait;

  public SmppPhone(SimulatedSmsc smsc, Duration wait) {
    this.smsc = smsc;
    this.wait = wait;
  }

  /** The channel entry that binds Sathi to this SMSC, serving {@code countries}. */
  public static Channels.Smpp channel(int port, List<String> countries) {
    return new Channels.Smpp(CHANNEL, "127.0.0.1", port, SYSTEM_ID, "SMPP_TEST_PASSWORD", PASSWORD, "", SHORT_CODE, 200, 10, 30, false,
        countries, 1);
  }

  /** Texts the short code and waits for the one reply; fails when the SMSC did not take the text. */
  @Override
  public List<String> text(String from, String body) throws InterruptedException {
    int before = smsc.sentTo(from).size();
    try {
      List<Integer> statuses = smsc.deliver(from, SHORT_CODE, body, SimulatedSmsc.Concatenation.UDH8);
      if (statuses.stream().anyMatch(s -> s != 0)) throw new IllegalStateException("deliver_sm was answered with status " + statuses);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the simulated SMSC could not deliver: " + e.getMessage(), e);
    }
    return awaitReplies(from, before, 1);
  }

  /** Waits until {@code count} more messages reached {@code to} than {@code before}; returns their texts. */
  public List<String> awaitReplies(String to, int before, int count) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      List<SimulatedSmsc.Sent> sent = smsc.sentTo(to);
      if (sent.size() >= before + count) {
        List<String> out = new ArrayList<>();
        for (SimulatedSmsc.Sent s : sent.subList(before, before + count)) out.add(s.text());
        return out;
      }
      Thread.sleep(5);
    }
    throw new IllegalStateException("no reply reached " + to.substring(0, 4) + "... within " + wait.toMillis() + " ms");
  }

  /** Waits until Sathi is bound to the SMSC. */
  public static void awaitBind(SimulatedSmsc smsc, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!smsc.bound()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("Sathi did not bind to the simulated SMSC within " + wait.toMillis() + " ms");
      Thread.sleep(10);
    }
  }
}
