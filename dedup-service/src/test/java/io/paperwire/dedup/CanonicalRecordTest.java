package io.paperwire.dedup;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;

import io.paperwire.dedup.service.ConsolidationService;
import io.paperwire.dedup.service.ConsolidationService.BatchOutcome;
import io.paperwire.dedup.service.ConsolidationService.Input;
import io.paperwire.events.PaperConsolidated;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.identity.TitleFingerprint;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The consolidated record's text comes from the richest, most recent strong source, earlier titles stay as aliases
 * that still identify the paper, and a batch folds many sightings into one state per paper.
 */
@QuarkusTest
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
class CanonicalRecordTest {

    static final Instant T0 = Instant.parse("2026-03-10T08:00:00Z");

    @Inject
    ConsolidationService consolidation;

    static PaperSighted sighting(PaperSighted.SourceKind kind, Instant at, String arxivId, String title, String abstractText,
            List<String> authors, Integer upvotes) {
        return new PaperSighted(kind.name().toLowerCase(), kind, at, null, 1, arxivId, null, TitleFingerprint.of(title),
                arxivId == null ? List.of() : List.of("arXiv:" + arxivId), title, abstractText, authors, List.of("cs.LG"), upvotes,
                null, null);
    }

    static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aRenamedVersionBecomesCanonicalAndTheOldTitleStillIdentifiesThePaper() {
        String w = IdentityRulesTest.word();
        String arxiv = IdentityRulesTest.arxiv(w);
        String v1 = "Sparse Attention For Everyone " + w;
        String v2 = "Sparse Attention Is All You Need " + w;
        OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.ARXIV_API, T0, arxiv, v1, "First abstract.", List.of("A. One"), null));
        PaperConsolidated renamed = OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.ARXIV_API, T0.plusSeconds(86400), arxiv,
                v2, "Second, revised abstract.", List.of("A. One", "B. Two"), null)).state();

        assertThat(renamed.title()).isEqualTo(v2);
        assertThat(renamed.titleFingerprint()).isEqualTo(TitleFingerprint.of(v2));
        assertThat(renamed.titleAliases()).containsExactly(v1);
        assertThat(renamed.abstractText()).isEqualTo("Second, revised abstract.");
        assertThat(renamed.authors()).containsExactly("A. One", "B. Two");
        assertThat(renamed.changeType()).isEqualTo(PaperConsolidated.ChangeType.REVISED);

        // A title-only listing that still shows version 1's title is the same paper; being weaker (no strong id, no
        // abstract), and although more recent, it does not take over the canonical text.
        PaperConsolidated listed = OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.LISTING_TEXT, T0.plusSeconds(2 * 86400),
                null, v1, null, List.of(), 12)).state();
        assertThat(listed.paperId()).isEqualTo(renamed.paperId());
        assertThat(listed.sightings()).isEqualTo(3);
        assertThat(listed.title()).isEqualTo(v2);
        assertThat(listed.abstractText()).isEqualTo("Second, revised abstract.");
        assertThat(listed.upvotes()).isEqualTo(12);
        assertThat(listed.changeType()).isEqualTo(PaperConsolidated.ChangeType.UPDATED);
    }

    @Test
    void anOlderSightingArrivingLateDoesNotTakeOverAndAWeakerOneOnlyFillsGaps() {
        String w = IdentityRulesTest.word();
        String arxiv = IdentityRulesTest.arxiv(w);
        String title = "Late Arrivals " + w;
        PaperConsolidated first = OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.LISTING_TEXT, T0, null, title,
                "A listing's abstract.", List.of(), null)).state();
        assertThat(first.authors()).isEmpty();

        // A strong source outranks the listing although it was observed earlier; same fingerprint, so no alias.
        PaperConsolidated strong = OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.ARXIV_API, T0.minusSeconds(3600), arxiv,
                title.toUpperCase(), null, List.of("C. Three"), null)).state();
        assertThat(strong.paperId()).isEqualTo(first.paperId());
        assertThat(strong.title()).isEqualTo(title.toUpperCase());
        assertThat(strong.titleAliases()).isEmpty();
        assertThat(strong.abstractText()).as("kept: the winner had none").isEqualTo("A listing's abstract.");
        assertThat(strong.authors()).containsExactly("C. Three");
        // Stored, not only published: Hibernate keeps no copy of the JSON lists (PaperEntity), so a list replaced in
        // the fold must still be found dirty and written.
        given().get("/api/v1/papers/" + strong.paperId()).then().statusCode(200)
                .body("authors", contains("C. Three"));

        // An equally ranked sighting observed before the canonical one does not replace it.
        PaperConsolidated older = OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.ARXIV_API, T0.minusSeconds(7200), arxiv,
                title + " (Draft)", null, List.of("Z. Old"), null)).state();
        assertThat(older.paperId()).isEqualTo(first.paperId());
        assertThat(older.title()).isEqualTo(title.toUpperCase());
        assertThat(older.authors()).containsExactly("C. Three");
        assertThat(older.titleAliases()).containsExactly(title + " (Draft)");
    }

    @Test
    void aBatchFoldsEverySightingOnceAndPublishesOneStatePerPaper() {
        String w = IdentityRulesTest.word();
        String arxiv = IdentityRulesTest.arxiv(w);
        String title = "Batched Paper " + w;
        String repeated = id();
        List<Input> batch = List.of(
                new Input(id(), sighting(PaperSighted.SourceKind.LISTING_TEXT, T0, null, title, null, List.of(), 3)),
                new Input(repeated, sighting(PaperSighted.SourceKind.HF_DAILY_PAPERS, T0.plusSeconds(60), null, title, "Abstract.",
                        List.of("D. Four"), 7)),
                new Input(repeated, sighting(PaperSighted.SourceKind.HF_DAILY_PAPERS, T0.plusSeconds(60), null, title, "Abstract.",
                        List.of("D. Four"), 7)),
                new Input(id(), sighting(PaperSighted.SourceKind.ARXIV_API, T0.plusSeconds(120), arxiv, title, "Abstract.",
                        List.of("D. Four"), null)),
                new Input(id(), sighting(PaperSighted.SourceKind.HF_DAILY_PAPERS, T0.plusSeconds(180), arxiv, title, null, List.of(), 9)),
                new Input(id(), sighting(PaperSighted.SourceKind.LISTING_TEXT, T0, null, "Another Batched Paper " + w, null,
                        List.of(), null)));

        BatchOutcome out = consolidation.applyBatch(batch);

        assertThat(out.folded()).isEqualTo(5);
        assertThat(out.duplicates()).isEqualTo(1);
        assertThat(out.created()).isEqualTo(2);
        assertThat(out.states()).hasSize(2);
        PaperConsolidated paper = out.states().stream().filter(s -> s.title().equals(title)).findFirst().orElseThrow();
        assertThat(paper.changeType()).as("the batch created it").isEqualTo(PaperConsolidated.ChangeType.CREATED);
        assertThat(paper.revision()).isEqualTo(4);
        assertThat(paper.sightings()).isEqualTo(4);
        assertThat(paper.arxivId()).isEqualTo(arxiv);
        assertThat(paper.upvotes()).as("latest per source: listing 3 + hf 9").isEqualTo(12);
        assertThat(paper.sources()).containsExactly("arxiv_api", "hf_daily_papers", "listing_text");

        // The same batch again (a redelivery) folds nothing and re-sends the same states.
        BatchOutcome again = consolidation.applyBatch(batch);
        assertThat(again.folded()).isZero();
        assertThat(again.duplicates()).isEqualTo(6);
        assertThat(again.states()).containsExactlyInAnyOrderElementsOf(out.states());
    }

    @Test
    void textThatLooksLikeSqlArraysOrNullIsStoredExactlyWhenAStoredPaperIsRewritten() {
        // A stored paper's row is rewritten through array parameters: every value must survive the array literal.
        String w = IdentityRulesTest.word();
        String arxiv = IdentityRulesTest.arxiv(w);
        String title = "Quotes \"In\" {Braces}, \\Backslashes\\ and NULL " + w;
        String abstractText = "NULL";
        List<String> authors = List.of("O'Neil, \"Jr\"", "NULL", "{a,b}", "back\\slash");
        PaperConsolidated first = OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.LISTING_TEXT, T0, null, title,
                null, List.of(), null)).state();
        PaperConsolidated rewritten = OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.ARXIV_API,
                T0.plusSeconds(60), arxiv, title, abstractText, authors, null)).state();
        assertThat(rewritten.paperId()).isEqualTo(first.paperId());
        // Only counted: the narrower update, which keeps the text as stored.
        OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.LISTING_TEXT, T0.plusSeconds(120), null, title, null,
                List.of(), 4));
        var stored = given().get("/api/v1/papers/" + first.paperId()).then().statusCode(200).extract().jsonPath();
        assertThat(stored.getString("title")).isEqualTo(title);
        assertThat(stored.getString("abstract")).isEqualTo(abstractText);
        assertThat(stored.getList("authors", String.class)).isEqualTo(authors);
        assertThat(stored.getString("arxivId")).isEqualTo(arxiv);
        assertThat(stored.getInt("sightings")).isEqualTo(3);
        assertThat(stored.getInt("upvotes")).isEqualTo(4);
    }

    @Test
    void timesFarFromTodayGoThroughEveryWriteTheyCanBeStoredIn() {
        // Years PostgreSQL stores but ISO-8601 writes with a sign (12000, and 101 BC) reach both the appended row and
        // the rewritten one; a re-sent state reads them back equal.
        String w = IdentityRulesTest.word();
        String title = "Far Times " + w;
        Instant future = Instant.parse("+12000-06-01T10:00:00.123456Z");
        Instant past = Instant.parse("-0100-03-01T00:00:00.000001Z");
        String eventId = id();
        PaperConsolidated created = OneSighting.apply(consolidation, eventId, sighting(PaperSighted.SourceKind.LISTING_TEXT, future, null,
                title, null, List.of(), null)).state();
        PaperConsolidated updated = OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.LISTING_TEXT, past, null,
                title, null, List.of(), null)).state();
        assertThat(updated.paperId()).isEqualTo(created.paperId());
        assertThat(updated.firstSeenAt()).isEqualTo(past);
        assertThat(updated.lastSeenAt()).isEqualTo(future);
        PaperConsolidated resent = OneSighting.apply(consolidation, eventId, sighting(PaperSighted.SourceKind.LISTING_TEXT, future, null,
                title, null, List.of(), null)).state();
        assertThat(resent).isEqualTo(updated);
    }

    @Test
    void anOlderListingInTheSameBatchDoesNotRollTheUpvotesBack() {
        // Within one batch as across batches: a source's upvotes are replaced only by a listing at least as recent as
        // its last one, whatever order the batch holds them in.
        String w = IdentityRulesTest.word();
        String title = "Upvotes In One Batch " + w;
        OneSighting.apply(consolidation, id(), sighting(PaperSighted.SourceKind.HF_DAILY_PAPERS, T0, null, title, null, List.of(), 5));
        BatchOutcome out = consolidation.applyBatch(List.of(
                new Input(id(), sighting(PaperSighted.SourceKind.HF_DAILY_PAPERS, T0.plusSeconds(7200), null, title, null, List.of(), null)),
                new Input(id(), sighting(PaperSighted.SourceKind.HF_DAILY_PAPERS, T0.plusSeconds(3600), null, title, null, List.of(), 9))));
        assertThat(out.states()).hasSize(1);
        assertThat(out.states().get(0).upvotes()).isEqualTo(5);
        assertThat(out.states().get(0).sightings()).isEqualTo(3);
        assertThat(out.states().get(0).lastSeenAt()).isEqualTo(T0.plusSeconds(7200));
    }
}
