package org.sathi.simulator;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted conversation for {@code ./sathi simulate --script FILE}, played by {@link TwilioPlayer}
 * (texts, WhatsApp messages and calls) and {@link UssdPlayer} (USSD sessions):
 *
 * <pre>
 * # a comment
 * sms +8801700000001        a new SMS conversation from a number like this one (its last five digits are
 *                           chosen afresh, so a script played twice starts afresh, in the same country)
 * &gt; hello                   text this
 * &lt; Sathi. Reply with a number:   expect this line in the reply
 * call +8801700000001       a new call from this number (it rings at once)
 * &gt; 1                       press keys ("12" for a number; Sathi's # is not sent)
 * &gt; silence                 press nothing until the menu times out
 * &gt; record                  speak at a recording and press # (a sample recording is sent)
 * &gt; record-nothing          say nothing at a recording
 * &gt; dial:no-answer          how the ringing of an officer ended: completed, no-answer, busy, failed
 * &gt; hangup                  the caller hangs up
 * ussd +8801700000001       a new USSD conversation from this number; its first '&gt;' is a dial
 * &gt; dial                    dial the code: a new session, its first screen
 * &lt; CON সাথী। নম্বর লিখুন:   expect this line of the screen, as the gateway got it (the first line starts
 *                           with CON while the session waits for more, END when it is over)
 * &gt; 98                      type 98 (or any answer) in the open session: a paged screen is read on with
 *                           98 written out, so a script shows every screen the caller sees
 * &gt; cut                     the gateway drops the session (a timeout); '&gt; dial' again to go on
 * whatsapp +8801700000001   a new WhatsApp conversation from this number (chosen afresh as for sms);
 *                           '&gt;' writes a message, '&lt;' expects a line of the reply, as for sms
 * whatsapp BD.13491208655302741918   the same from a WhatsApp user id (BSUID), which hides the number:
 *                           two capital letters, a full stop, letters and digits (its last five chosen afresh)
 * </pre>
 *
 * The {@code <} lines after a {@code >} must appear, in that order, among the lines of what came
 * back: each line of each SMS or WhatsApp message, each thing said on a call ({@code play URL} for a recording), or each
 * line of the one USSD screen. {@code {code}} stands for a report's reference code, and
 * {@code > {code}} sends the last one seen.
 */
public final class SimulatorScript {
  /** A problem in a script file, with its line. */
  public static final class Invalid extends Exception {
    public Invalid(String file, int line, String message) {
      super(file + ":" + line + ": " + message);
    }
  }

  /** One line of a script, with where it is. */
  public record Line(int number, char kind, String text) {}

  static final Pattern CODE = Pattern.compile("[A-Z0-9]{4}-[A-Z0-9]{4}");
  static final Pattern SPOKEN_CODE = Pattern.compile("[A-Z0-9] [A-Z0-9] [A-Z0-9] [A-Z0-9], [A-Z0-9] [A-Z0-9] [A-Z0-9] [A-Z0-9]");
  /** A recording as Twilio would keep it, for {@code > record}. */
  public static final String SAMPLE_RECORDING = "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE"
      + "5a".repeat(16);

  private final String file;
  private final List<Line> lines;

  private SimulatorScript(String file, List<Line> lines) {
    this.file = file;
    this.lines = lines;
  }

  public static SimulatorScript parse(String file, String text) throws Invalid {
    List<Line> out = new ArrayList<>();
    String[] rows = text.split("\r?\n", -1);
    char conversation = 0; // 's', 'c', 'u' or 'w' once a conversation has started
    String ussdNext = null; // in a ussd conversation: what the next '>' must be (dial), and why
    boolean ussdScreen = false; // in a ussd conversation: whether the last '>' showed a screen to expect lines of
    for (int i = 0; i < rows.length; i++) {
      String row = rows[i];
      int n = i + 1;
      if (row.isBlank() || row.startsWith("#")) continue;
      if (row.startsWith("sms ") || row.startsWith("call ") || row.startsWith("ussd ") || row.startsWith(WHATSAPP)) {
        String from = row.substring(row.indexOf(' ') + 1).strip();
        conversation = row.startsWith(WHATSAPP) ? 'w' : row.charAt(0);
        if (conversation == 'w' && org.sathi.channel.whatsapp.WhatsAppAddress.parse(org.sathi.channel.whatsapp.WhatsAppAddress.PREFIX + from).isEmpty()) {
          throw new Invalid(file, n, "'" + from + "' is not a WhatsApp sender: a number in E.164, such as +8801700000001, or a WhatsApp user id,"
              + " such as BD.13491208655302741918");
        }
        if (conversation != 'w' && !org.sathi.privacy.CallerKey.E164.matcher(from).matches()) {
          throw new Invalid(file, n, "'" + from + "' is not a phone number in E.164, such as +8801700000001");
        }
        out.add(new Line(n, conversation, from));
        ussdNext = "a ussd conversation starts with '> dial' (then '> 1' types 1 in the session)";
        ussdScreen = false;
      } else if (row.startsWith("> ") || row.equals(">")) {
        if (conversation == 0) throw new Invalid(file, n, "start with 'sms +NUMBER', 'call +NUMBER', 'ussd +NUMBER' or 'whatsapp +NUMBER' before the first '>'");
        String send = row.length() > 2 ? row.substring(2) : "";
        if (conversation == 'u') {
          if (ussdNext != null && !send.equals(DIAL)) throw new Invalid(file, n, ussdNext);
          if (send.contains("*")) throw new Invalid(file, n, "a USSD answer cannot hold '*': the gateway joins a session's answers with it");
          ussdNext = send.equals(CUT) ? "after '> cut' there is no session: '> dial' again" : null;
          ussdScreen = !send.equals(CUT);
        }
        out.add(new Line(n, '>', send));
      } else if (row.startsWith("< ")) {
        if (conversation == 0) throw new Invalid(file, n, "start with 'sms +NUMBER', 'call +NUMBER', 'ussd +NUMBER' or 'whatsapp +NUMBER' before the first '<'");
        if (conversation == 'u' && !ussdScreen) throw new Invalid(file, n, "no USSD screen to expect this on: '> dial' first (a cut shows none)");
        out.add(new Line(n, '<', row.substring(2)));
      } else {
        throw new Invalid(file, n, "a line is '# comment', 'sms +NUMBER', 'call +NUMBER', 'ussd +NUMBER', 'whatsapp +NUMBER' (or a WhatsApp user id),"
            + " '> what to send' or '< what to expect'");
      }
    }
    if (out.isEmpty()) throw new Invalid(file, 1, "the script is empty");
    return new SimulatorScript(file, out);
  }

  /** In a ussd conversation: {@code > dial} dials the code, {@code > cut} makes the gateway drop the session. */
  static final String DIAL = "dial";
  /** A WhatsApp conversation's first line: {@code whatsapp +NUMBER} or {@code whatsapp USER-ID}. */
  static final String WHATSAPP = "whatsapp ";
  static final String CUT = "cut";

  /** Where a script's texts go: Twilio's webhook by default, or another text channel (an SMSC). */
  @FunctionalInterface
  public interface Texts {
    /** The messages that answer one text from {@code from}. */
    List<String> text(String from, String body) throws IOException, InterruptedException;
  }

  /** Plays the script, printing the transcript; false at the first expectation that is not met (or a step that cannot be taken). */
  public boolean run(TwilioPlayer player, PrintStream out) {
    return run(player, player::text, null, out);
  }

  /** Plays the script, its texts through {@code texts} and its calls through {@code player}; it cannot have ussd conversations. */
  public boolean run(TwilioPlayer player, Texts texts, PrintStream out) {
    return run(player, texts, null, out);
  }

  /** A step that cannot be taken, with why: the run stops there. */
  private static final class Stopped extends Exception {
    Stopped(String message) {
      super(message);
    }
  }

  /**
   * Plays the script: its texts through {@code texts}, its calls through {@code player}, its ussd
   * conversations through {@code ussd} (null when there is no USSD channel to play them on).
   */
  public boolean run(TwilioPlayer player, Texts texts, UssdPlayer ussd, PrintStream out) {
    String from = null;
    char kind = 's';
    TwilioPlayer.Call call = null;
    List<String> reply = List.of();
    int seen = 0; // expectations are met in order within one reply
    String code = null;
    Line at = null;
    try {
      for (Line l : lines) {
        at = l;
        switch (l.kind()) {
          case 's', 'c', 'u', 'w' -> {
            if (call != null && !call.ended()) call.hangUp();
            from = fresh(l.text());
            kind = l.kind();
            call = null;
            out.println(switch (kind) {
              case 's' -> "sms ";
              case 'c' -> "call ";
              case 'u' -> "ussd ";
              default -> WHATSAPP;
            } + from);
            if (kind == 'c') {
              call = player.call(from);
              reply = said(call.dial());
              seen = 0;
              print(out, reply);
            }
            if (kind == 'u' && ussd == null) throw new Stopped("a ussd conversation needs a USSD channel to play on");
          }
          case '>' -> {
            String send = code == null ? l.text() : l.text().replace("{code}", code);
            out.println("> " + send);
            reply = switch (kind) {
              case 's' -> split(texts.text(from, send));
              case 'c' -> said(step(call, send));
              case 'w' -> split(player.whatsApp(from, send));
              default -> ussd(ussd, from, send);
            };
            seen = 0;
            print(out, reply);
          }
          default -> {
            int found = -1;
            for (int i = seen; i < reply.size(); i++) {
              String got = match(l.text(), reply.get(i));
              if (got != null) {
                found = i;
                if (!got.isEmpty()) code = got;
                break;
              }
            }
            if (found < 0) {
              out.println("! " + file + ":" + l.number() + ": expected '" + l.text() + "', which is not in the reply above");
              return false;
            }
            seen = found + 1;
          }
        }
      }
      if (call != null && !call.ended()) call.hangUp();
      return true;
    } catch (Stopped e) {
      out.println("! " + file + ":" + at.number() + ": " + e.getMessage());
      return false;
    } catch (IOException | IllegalStateException e) {
      out.println("! " + file + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() + " (is Sathi running there?)" : e.getMessage()));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** One step of a ussd conversation: the lines of the screen that came back (none for a cut). */
  private static List<String> ussd(UssdPlayer ussd, String from, String send) throws IOException, InterruptedException, Stopped {
    if (send.equals(CUT)) {
      ussd.cut(from);
      return List.of();
    }
    if (!send.equals(DIAL) && !ussd.inSession(from)) throw new Stopped("the USSD session is over (its last screen was END): '> dial' to start another");
    UssdPlayer.Screen screen = send.equals(DIAL) ? ussd.dial(from) : ussd.type(from, send);
    if (screen.status() != 200) {
      throw new Stopped("the USSD channel answered HTTP " + screen.status() + " (" + screen.body().strip()
          + "); are --ussd-channel, --ussd-code and --ussd-key right?");
    }
    return List.of(screen.body().split("\n", -1));
  }

  /**
   * A phone of the same country that has not texted the hotline yet: the number's (or WhatsApp user
   * id's) last five characters chosen at random as digits. A script always starts a new conversation, even when it was played before
   * against the same Sathi (which remembers a number's conversation and language).
   */
  static String fresh(String number) {
    // A user id too short to lose five characters (BD.12) gets five more.
    boolean shortId = !number.startsWith("+") && number.length() - number.lastIndexOf('.') <= 6;
    StringBuilder n = new StringBuilder(shortId ? number : number.substring(0, number.length() - 5));
    for (int i = 0; i < 5; i++) n.append((char) ('0' + java.util.concurrent.ThreadLocalRandom.current().nextInt(10)));
    return n.toString();
  }

  /** One step of a call as scripts (and {@code ./sathi call}) write it; IllegalStateException when the call does not wait for it. */
  public static TwilioPlayer.Turn step(TwilioPlayer.Call call, String send) throws IOException, InterruptedException {
    return switch (send) {
      case "silence" -> call.silence();
      case "record" -> call.record(SAMPLE_RECORDING, 9);
      case "record-nothing" -> call.recordNothing();
      case "hangup" -> call.hangUp();
      default -> send.startsWith("dial:") ? call.dialEnded(send.substring(5)) : call.press(send.replace("#", ""));
    };
  }

  /**
   * Whether an expected line matches a reply line: "" for a match without a code, the code for a
   * match whose {@code {code}} stood for one, null for no match.
   */
  static String match(String expected, String line) {
    if (!expected.contains("{code}")) return expected.equals(line) ? "" : null;
    String[] parts = expected.split("\\{code\\}", -1);
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) regex.append("([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9] [A-Z0-9] [A-Z0-9] [A-Z0-9], [A-Z0-9] [A-Z0-9] [A-Z0-9] [A-Z0-9])");
      regex.append(Pattern.quote(parts[i]));
    }
    Matcher m = Pattern.compile(regex.toString()).matcher(line);
    if (!m.matches()) return null;
    String c = m.group(1);
    return c.contains(" ") ? c.replace(", ", "-").replace(" ", "") : c;
  }

  /** A reply line as a script writes it: reference codes replaced by {code}. */
  public static String generalise(String line) {
    return SPOKEN_CODE.matcher(CODE.matcher(line).replaceAll("{code}")).replaceAll("{code}");
  }

  static List<String> split(List<String> messages) {
    List<String> out = new ArrayList<>();
    for (String m : messages) out.addAll(List.of(m.split("\n", -1)));
    return out;
  }

  /** What a call's turn said, a line each: the text of each Say, {@code play URL} for each Play. */
  public static List<String> said(TwilioPlayer.Turn t) {
    List<String> out = new ArrayList<>();
    for (TwilioPlayer.Heard h : t.heard()) {
      if (h.kind().equals("say")) out.addAll(List.of(h.text().split("\n", -1)));
      else out.add("play " + h.url());
    }
    return out;
  }

  /** The lines of what came back, as {@link #run} compares them: for writing scripts. */
  public static List<String> lines(List<String> messages) {
    return split(messages);
  }

  private static void print(PrintStream out, List<String> reply) {
    for (String r : reply) out.println("< " + r);
  }
}
