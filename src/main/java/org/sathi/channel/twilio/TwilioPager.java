package org.sathi.channel.twilio;

import org.sathi.duty.Pager;


/** Pages by SMS through Twilio's REST API, to the officer's roster phone. */
public final class TwilioPager {
  private TwilioPager() {}

  public static Pager of(TwilioOutbound outbound) {
    return (officer, text) -> outbound.sendSms(officer.phone(), text).mapEmpty();
  }
}
