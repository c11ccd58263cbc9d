package org.sathi.server;

import java.util.Set;
import org.sathi.flow.FlowBundle;

/** What tests in other packages need of Main's wiring. */
public final class MainAccess {
  private MainAccess() {}

  public static Set<String> whatValues(FlowBundle bundle) {
    return Main.whatValues(bundle);
  }
}
