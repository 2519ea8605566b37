package io.cachebus.loadtest.liveview;

import java.io.PrintStream;
import java.util.List;

/**
 * Where the live view's text goes. On a terminal the table is redrawn in place (ANSI: cursor up over the last table,
 * clear to the end of the screen) and the lines of events scroll in above it. Elsewhere (a file, a pipe, a CI log)
 * nothing is redrawn: events are appended as they come, and the table every few refreshes and once at the end.
 */
final class LiveScreen {

    private static final String ESC = "\u001b[";

    private final PrintStream out;
    private final boolean terminal;
    private final int plainEvery;
    private int tableHeight;
    private long refreshes;

    /**
     * @param terminal   whether {@code out} is a terminal that understands ANSI escapes
     * @param plainEvery off a terminal, print the table at every {@code plainEvery}-th refresh
     */
    LiveScreen(PrintStream out, boolean terminal, int plainEvery) {
        this.out = out;
        this.terminal = terminal;
        this.plainEvery = Math.max(1, plainEvery);
    }

    /** Shows {@code events} (once, for good) and {@code table} (the current one); {@code last}: the final refresh. */
    void refresh(List<String> events, List<String> table, boolean last) {
        refreshes++;
        StringBuilder text = new StringBuilder();
        if (terminal && tableHeight > 0) {
            text.append('\r').append(ESC).append(tableHeight).append('A').append(ESC).append('J');
        }
        events.forEach(line -> text.append(line).append(System.lineSeparator()));
        if (terminal || last || refreshes % plainEvery == 0) {
            table.forEach(line -> text.append(line).append(System.lineSeparator()));
            tableHeight = terminal ? table.size() : 0;
        }
        out.print(text);
        out.flush();
    }
}
