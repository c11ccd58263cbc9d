package org.sathi.flow;

/** Named limits that keep a flow, or a caller, from running away with the engine. */
public final class Limits {
  private Limits() {}

  public static final int MAX_FLOWS = 50;
  public static final int MAX_NODES_PER_FLOW = 200;
  public static final int MAX_OPTIONS_PER_MENU = 10;
  /** Nodes entered in one turn before the engine gives up (the validator already refuses loops). */
  public static final int MAX_STEPS_PER_TURN = 25;
  /** The third invalid answer in a row leaves the node. */
  public static final int MAX_INVALID_ANSWERS = 3;
  /** On a call, the third silence in a row leaves the node for its timeout target; the first two repeat it. */
  public static final int MAX_SILENCES = 3;
  /** Longest a node may make a caller wait for keys (Twilio allows more; a child should not wait that long). */
  public static final int MAX_TIMEOUT_SECONDS = 60;
  /** Languages on one screen of the language menu; 9 shows the next screen, so a call needs one key. */
  public static final int LANGUAGES_PER_PAGE = 8;
  /** Nodes remembered for "back". */
  public static final int MAX_HISTORY = 20;
  /** Longest free-text answer kept, whatever a flow asks for. */
  public static final int MAX_TEXT_ANSWER = 2000;
  /** The most a USSD screen carries, in GSM-7 characters (a channel may set fewer). */
  public static final int USSD_SCREEN_CHARS = 182;
  /** What gateways commonly carry of a USSD screen in a script that needs UCS-2, in UTF-16 units (a channel may set another). */
  public static final int USSD_UNICODE_SCREEN_CHARS = 80;
  /** Longest input the engine reads; longer input is cut before it is parsed. */
  public static final int MAX_INPUT_CHARS = 2000;
}
