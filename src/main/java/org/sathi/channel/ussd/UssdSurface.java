package org.sathi.channel.ussd;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.sathi.channel.ChannelStore;
import org.sathi.channel.sms.Surface;
import org.sathi.flow.Conversation;
import org.sathi.flow.Event;
import org.sathi.flow.FlowBundle;
import org.sathi.flow.Step;
import org.sathi.i18n.Catalog;
import org.sathi.privacy.Sealer;
import org.sathi.session.SessionStore;

/**
 * The flows as USSD screens, for one step of one session. A gateway sends every input of the session
 * so far ({@code 1*2*Khulna}); what it remembered of the last step (sealed, with the conversation)
 * says which part is new. It pages long replies ({@code 98. More}), offers {@code 0. Back} on every
 * screen, and when a phone dials again within {@link #RESUME_WITHIN} of a report it did not finish,
 * offers to go on from there. The gateway's session ends with an {@code END} screen.
 */
final class UssdSurface implements Surface {
  /** A caller whose session was cut off in a report is offered to continue it for this long. */
  static final Duration RESUME_WITHIN = Duration.ofMinutes(10);
  static final String CONTINUE = "1";
  static final String RESTART = "2";

  /**
   * What a step leaves for the next one.
   *
   * @param session  the gateway's session, hashed
   * @param length   how long the session's input was at this step
   * @param input    the hash of that input, so the next step can tell what is new
   * @param screen   the screen of {@code reply} shown
   * @param at       when (epoch ms): a cut-off report can be resumed within {@link #RESUME_WITHIN}
   * @param ending   the reply ends the session
   * @param offer    the screen is the offer to continue a cut-off report
   * @param reply    the flows' reply, as an SMS would carry it
   */
  record State(String session, int length, String input, int screen, long at, boolean ending, boolean offer, String reply) {
    String encode() {
      return String.join("\n", "u1", session, String.valueOf(length), input, String.valueOf(screen), String.valueOf(at), ending ? "1" : "0",
          offer ? "1" : "0", reply);
    }

    static State decode(String text) {
      if (text == null) return null;
      String[] f = text.split("\n", 9);
      if (f.length < 9 || !f[0].equals("u1")) return null;
      try {
        return new State(f[1], Integer.parseInt(f[2]), f[3], Integer.parseInt(f[4]), Long.parseLong(f[5]), f[6].equals("1"), f[7].equals("1"), f[8]);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }

  private final FlowBundle bundle;
  private final Sealer sealer;
  private final String callerKey;
  private final String session;
  private final String country;
  private final int screenChars;
  private final int unicodeScreenChars;

  /**
   * @param callerKey the keyed hash of {@link #address(String) the caller's USSD address}: it binds the sealed state to them
   * @param sessionId the gateway's session id
   * @param country   the caller's calling code, for the numbers in messages
   */
  UssdSurface(FlowBundle bundle, Sealer sealer, String callerKey, String sessionId, String country, int screenChars, int unicodeScreenChars) {
    this.bundle = bundle;
    this.sealer = sealer;
    this.callerKey = callerKey;
    this.session = ChannelStore.contentHash(sessionId);
    this.country = country;
    this.screenChars = screenChars;
    this.unicodeScreenChars = unicodeScreenChars;
  }

  /** A USSD conversation is kept apart from the same phone's SMS thread. */
  static String addressOf(String e164) {
    return "ussd:" + e164;
  }

  /** "Please dial again": the session ends with it, on one screen. */
  @Override
  public String fallbackKey() {
    return "ussd.fallback";
  }

  @Override
  public String address(String from) {
    return addressOf(from);
  }

  @Override
  public Move read(SessionStore.Loaded loaded, String input, Instant now) {
    State last = open(loaded.surface());
    Conversation c = loaded.conversation();
    if (last == null || !last.session().equals(session)) {
      // A new session. A report cut off a few minutes ago may go on from where it stopped.
      boolean cutOff = last != null && c != null && !c.ended() && c.node() != null && !c.answers().isEmpty()
          && !last.ending() && now.toEpochMilli() - last.at() <= RESUME_WITHIN.toMillis();
      if (!cutOff) return new Start();
      String offer = offer(c.language());
      return own(new State(session, input.length(), hash(input), 0, now.toEpochMilli(), false, true, offer), offer);
    }
    String typed = typed(last, input);
    if (last.offer()) {
      if (typed.equals(CONTINUE)) return new Resume();
      if (typed.equals(RESTART)) return new Start();
      return own(new State(session, input.length(), hash(input), 0, now.toEpochMilli(), false, true, last.reply()), last.reply());
    }
    String language = c != null ? c.language() : bundle.languages().fallback().code();
    List<String> screens = screens(last.reply(), last.ending(), language);
    if (typed.equals(UssdScreens.MORE) && last.screen() + 1 < screens.size()) return page(last, input, now, screens, last.screen() + 1);
    // A menu with a 0 of its own (the main menu's language choice) keeps it on every screen; elsewhere 0 goes back.
    if (typed.equals(UssdScreens.BACK) && !UssdScreens.ownZero(last.reply())) {
      return last.screen() > 0 ? page(last, input, now, screens, last.screen() - 1) : new Back();
    }
    return new Answer(typed);
  }

  @Override
  public Shown show(SessionStore.Loaded loaded, String input, Move move, String reply, Conversation next, Instant now) {
    boolean ending = next == null || next.ended();
    String language = next != null ? next.language() : loaded.conversation() != null ? loaded.conversation().language()
        : bundle.languages().fallback().code();
    List<String> screens = screens(reply, ending, language);
    State state = new State(session, input.length(), hash(input), 0, now.toEpochMilli(), ending, false, reply);
    return new Shown(screen(screens, 0, ending), sealer.seal(state.encode(), callerKey));
  }

  /**
   * A hand-off asks to be reached; a report keeps the number only when its reporter said yes to
   * being contacted (sealed with the report). Nothing else is kept: USSD leaves nothing in the inbox,
   * and nothing is sent to the phone afterwards unless the caller asked for it.
   */
  @Override
  public boolean keepsReplyWindow(Step step) {
    return step.events().stream().anyMatch(e -> e instanceof Event.HandoffRequested);
  }

  /** The screen as the gateway shows it: {@code CON} while more is expected, {@code END} when the session is over. */
  static String screen(List<String> screens, int i, boolean ending) {
    boolean last = i == screens.size() - 1;
    return (ending && last ? "END " : "CON ") + screens.get(i);
  }

  private Own page(State last, String input, Instant now, List<String> screens, int i) {
    State state = new State(session, input.length(), hash(input), i, now.toEpochMilli(), last.ending(), false, last.reply());
    return new Own(screen(screens, i, last.ending()), sealer.seal(state.encode(), callerKey));
  }

  private Own own(State state, String screen) {
    return new Own("CON " + screen, sealer.seal(state.encode(), callerKey));
  }

  private List<String> screens(String reply, boolean ending, String language) {
    Catalog c = bundle.catalog(language, country);
    return UssdScreens.of(reply, ending, new UssdScreens.Labels(c.text("common.more"), c.text("common.back")), screenChars, unicodeScreenChars);
  }

  /** The offer to go on with a cut-off report: neutral words, two options (it fits any screen). */
  private String offer(String language) {
    Catalog c = bundle.catalog(language, country);
    return c.text("ussd.resume.prompt") + "\n" + CONTINUE + ". " + c.text("common.continue") + "\n" + RESTART + ". " + c.text("ussd.resume.restart");
  }

  private State open(String sealed) {
    return sealed == null ? null : State.decode(sealer.open(sealed, callerKey));
  }

  /**
   * What the caller typed at this step: the session's input after the part the last step saw (which
   * may itself hold a {@code *} the caller typed), or, when that part is not known, after the last {@code *}.
   */
  static String typed(State last, String input) {
    if (last.length() == 0) return input;
    if (input.length() > last.length() && input.charAt(last.length()) == '*' && hash(input.substring(0, last.length())).equals(last.input())) {
      return input.substring(last.length() + 1);
    }
    return input.substring(input.lastIndexOf('*') + 1);
  }

  private static String hash(String input) {
    return ChannelStore.contentHash(input);
  }
}
