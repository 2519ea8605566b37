package io.cachebus.loadtest.liveview;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveScreenTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void onATerminalTheTableIsRedrawnInPlaceBelowTheEvents() {
        LiveScreen screen = new LiveScreen(out, true, 5);
        screen.refresh(List.of(), List.of("title", "row 1"), false);
        screen.refresh(List.of("a write"), List.of("title", "row 2"), false);

        assertThat(text()).isEqualTo("title\nrow 1\n\r\u001b[2A\u001b[Ja write\ntitle\nrow 2\n");
    }

    @Test
    void elsewhereEventsAreAppendedAndTheTableEveryFewRefreshesAndAtTheEnd() {
        LiveScreen screen = new LiveScreen(out, false, 2);
        screen.refresh(List.of("a write"), List.of("table 1"), false);
        screen.refresh(List.of(), List.of("table 2"), false);
        screen.refresh(List.of(), List.of("table 3"), false);
        screen.refresh(List.of("another"), List.of("table 4"), true);

        assertThat(text()).isEqualTo("a write\ntable 2\nanother\ntable 4\n");
    }
}
