package org.sathi.console;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The console's page at {@code /console/}: plain HTML, CSS and JavaScript modules from the
 * classpath ({@code src/main/resources/console/}), no build step. Served with a Content-Security-Policy
 * that allows only the page's own scripts and styles (no inline script, no inline style, no other
 * origin), so text from a report can never run, even if some code put it into the page as HTML.
 */
public final class ConsolePage {
  public static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self';"
      + " connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private ConsolePage() {}

  public static void mount(Router router) {
    // Vert.x matches "/console" for "/console/" as well: only the bare path is sent on to the page.
    router.get("/console").handler(ctx -> {
      if (ctx.request().path().equals("/console")) ctx.redirect("/console/");
      else ctx.next();
    });
    router.route("/console/*").handler(ConsolePage::headers);
    router.route("/console/*").handler(StaticHandler.create("console").setCachingEnabled(false).setDefaultContentEncoding("UTF-8")
        .setIndexPage("index.html").setDirectoryListing(false));
  }

  private static void headers(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-cache");
    ctx.next();
  }
}
