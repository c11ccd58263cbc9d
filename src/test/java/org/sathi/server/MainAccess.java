package org.sathi.server;

import java.util.Set;
import org.sathi.flow.FlowBundle;

/** What tests in other packages need of Main's wiring. */
public final class MainAccess {
  private MainAccess() {}

  public static Set<String> whatValues(FlowBundle bundle) {
    return Main.whatValues(bundle);
  }

  /** {@code ./sathi simulate ARGS}, with this environment; returns its exit status. */
  public static int simulate(java.util.List<String> args, java.util.Map<String, String> env, java.io.PrintStream out) throws Exception {
    return Main.simulate(args, env, out);
  }
}
