package io.paperwire.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.paperwire.dedup.repository.PaperEntity;
import jakarta.persistence.EntityManager;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The first dedup truth: the two sample listings (42 and 40 papers, 35 shared) consolidate into 47 papers. */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class SampleListingsTest {

    static final Set<String> CHROME = Set.of("new", "get trending papers in your email inbox!", "subscribe", "daily papers",
            "byak and the research community", "by ak and the research community", "mar 11");

    /** Titles of a sample page: paragraphs after the chrome, every other one (title, abstract, title, ...). */
    static List<String> titles(Path file) throws Exception {
        List<String> paragraphs = new ArrayList<>();
        for (String p : Files.readString(file).split("\\n\\s*\\n")) {
            if (!p.isBlank() && !CHROME.contains(p.strip().toLowerCase())) {
                paragraphs.add(p.strip().replaceAll("\\s+", " "));
            }
        }
        List<String> titles = new ArrayList<>();
        for (int i = 0; i < paragraphs.size(); i += 2) {
            titles.add(paragraphs.get(i));
        }
        return titles;
    }

    @Test
    void theTwoSamplesGive47PapersOf35SeenTwice() throws Exception {
        List<String> first = titles(Path.of("..", "samples", "000_01ba4ec06044e9a5.txt"));
        List<String> second = titles(Path.of("..", "samples", "001_0434b3d32f4aa226.txt"));
        assertThat(first).hasSize(42);
        assertThat(second).hasSize(40);
        Instant t = Instant.now();
        String run = UUID.randomUUID().toString();
        for (String title : first) {
            PapersApiTest.sight(run + "/a/" + title.hashCode(), "sample-a", title, null, t);
        }
        for (String title : second) {
            PapersApiTest.sight(run + "/b/" + title.hashCode(), "sample-b", title, null, t.plusSeconds(60));
        }
        Set<String> fingerprints = new HashSet<>();
        first.forEach(x -> fingerprints.add(TitleFingerprint.of(x)));
        second.forEach(x -> fingerprints.add(TitleFingerprint.of(x)));

        await().atMost(Duration.ofSeconds(120)).until(() -> papers(fingerprints).stream().mapToInt(p -> p.sightings).sum() == 82);
        List<PaperEntity> papers = papers(fingerprints);
        assertThat(papers).hasSize(47);
        assertThat(papers.stream().filter(p -> p.sightings == 2)).hasSize(35);
        assertThat(papers.stream().filter(p -> p.sightings == 1)).hasSize(12);
    }

    static List<PaperEntity> papers(Set<String> fingerprints) {
        return QuarkusTransaction.requiringNew().call(() -> Arc.container().instance(EntityManager.class).get().createQuery("from PaperEntity where titleFingerprint in ?1", PaperEntity.class).setParameter(1, fingerprints).getResultList());
    }
}
