package io.cachebus.deployment.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.deployment.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The repository explains itself: no Markdown or Java file cites a document that is not in it (the design notes and
 * the Redis layout it was written from, a shared folder beside the clone), and every relative Markdown
 * link leads to a file of the repository.
 */
class SelfContainedDocsTest {

    /** Spelled in pieces so this file does not cite them itself. */
    private static final List<String> OUTSIDE_DOCUMENTS = List.of("DESIGN" + ".md", "REDIS_" + "LAYOUT",
            ".." + "/shared");
    private static final Pattern MARKDOWN_LINK = Pattern.compile("\\]\\(([^)\\s#]+)(#[^)]*)?\\)");

    private final Repository repository = Repository.locate();

    @Test
    void noFileCitesADocumentOutsideTheRepository() throws IOException {
        List<String> citations = new ArrayList<>();
        for (Path file : repository.sources(".md", ".java")) {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                for (String outside : OUTSIDE_DOCUMENTS) {
                    if (lines.get(i).contains(outside)) {
                        citations.add(repository.root().relativize(file) + ":" + (i + 1) + " cites " + outside);
                    }
                }
            }
        }
        assertThat(citations).as("name what the document says instead of citing it").isEmpty();
    }

    @Test
    void everyRelativeMarkdownLinkLeadsToAFileOfTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : repository.sources(".md")) {
            Matcher link = MARKDOWN_LINK.matcher(Files.readString(file));
            while (link.find()) {
                String target = link.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                Path resolved = file.getParent().resolve(target).normalize();
                if (!resolved.startsWith(repository.root()) || !Files.exists(resolved)) {
                    broken.add(repository.root().relativize(file) + " -> " + target);
                }
            }
        }
        assertThat(broken).isEmpty();
    }
}
