/**
 * Statistics that are safe to publish (issue 16, item 7): tables of exact counts, the
 * disclosure-control rules every published value follows, and the periods a table covers.
 *
 * <p>Pure: no Vert.x, no I/O, and no dependency on the console, the server or the channels, so
 * the rules can be tested on their own and every output (the API, the exports, the page) applies
 * the same ones.
 */
package org.sathi.statistics;
