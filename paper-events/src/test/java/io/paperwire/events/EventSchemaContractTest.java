package io.paperwire.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.paperwire.events.topic.PaperTopic;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The published JSON Schemas and AsyncAPI document must say exactly what the Java records serialise. */
class EventSchemaContractTest {

    private static final ObjectMapper JSON = PaperEventsJson.mapper();
    private static final Instant T = Instant.parse("2026-03-11T08:00:00Z");

    enum Contract {
        SIGHTED(PaperSighted.class, "schemas/paper-sighted.v1.json", CloudEvents.SCHEMA_PAPER_SIGHTED),
        CONSOLIDATED(PaperConsolidated.class, "schemas/paper-consolidated.v1.json", CloudEvents.SCHEMA_PAPER_CONSOLIDATED),
        MERGED(PaperMerged.class, "schemas/paper-merged.v1.json", CloudEvents.SCHEMA_PAPER_MERGED);

        final Class<?> type;
        final String resource;
        final String id;

        Contract(Class<?> type, String resource, String id) {
            this.type = type;
            this.resource = resource;
            this.id = id;
        }

        Object full() {
            return switch (this) {
                case SIGHTED -> fullSighting();
                case CONSOLIDATED -> fullConsolidated();
                case MERGED -> new PaperMerged("p-2", "p-1", T);
            };
        }

        Object minimal() {
            if (this == MERGED) {
                return new PaperMerged("p-2", "p-1", T);
            }
            return this == SIGHTED
                    ? new PaperSighted("hf-daily", PaperSighted.SourceKind.LISTING_TEXT, T, null, null, null, null,
                            "a title", null, "A Title", null, null, null, null, null, null)
                    : new PaperConsolidated("p-1", 1, PaperConsolidated.ChangeType.CREATED, null, null, "A Title", "a title", null, null, null, null, T, T, 1,
                            null, 0, 0.0, null, T);
        }
    }

    static PaperSighted fullSighting() {
        return new PaperSighted("arxiv-cs", PaperSighted.SourceKind.ARXIV_API, T, LocalDate.of(2026, 3, 11), 3,
                "2401.12345", "10.1145/3292500.3330701", "a title", List.of("arXiv:2401.12345v2"), "A Title",
                "An abstract.", List.of("Ada Lovelace"), List.of("cs.LG"), 12,
                List.of(new Link("pdf", "https://arxiv.org/pdf/2401.12345v2")), List.of("low-rank adaptation"));
    }

    static PaperConsolidated fullConsolidated() {
        return new PaperConsolidated("p-1", 7, PaperConsolidated.ChangeType.IDENTIFIERS_ADDED, "hep-th/9901001", "10.1145/3292500.3330701", "A Title", "a title",
                List.of("A Title, First Version"), "An abstract.", List.of("Ada Lovelace"), List.of("hep-th"), T, T.plusSeconds(60), 3,
                List.of("hf-daily", "arxiv-cs"), 40, 12.5, List.of(new Link("abstract", "https://arxiv.org/abs/hep-th/9901001")),
                T.plusSeconds(61));
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void schemaPropertiesAreExactlyTheRecordsJsonProperties(Contract c) throws IOException {
        JsonNode schema = schemaJson(c);
        Set<String> schemaProps = new TreeSet<>();
        schema.get("properties").fieldNames().forEachRemaining(schemaProps::add);

        JavaType type = JSON.constructType(c.type);
        Set<String> recordProps = JSON.getSerializationConfig().introspect(type).findProperties().stream()
                .map(BeanPropertyDefinition::getName)
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(schemaProps).isEqualTo(recordProps);
        assertThat(schema.get("$id").asText()).isEqualTo(c.id);
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void requiredPropertiesAreExactlyThoseTheRecordAlwaysWrites(Contract c) throws IOException {
        Set<String> required = StreamSupport.stream(schemaJson(c).get("required").spliterator(), false)
                .map(JsonNode::asText).collect(Collectors.toSet());
        Set<String> alwaysWritten = new HashSet<>();
        JSON.valueToTree(c.minimal()).fieldNames().forEachRemaining(alwaysWritten::add);
        assertThat(required).isEqualTo(alwaysWritten);
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void fullAndMinimalEventsValidate(Contract c) throws IOException {
        assertThat(validate(c, JSON.valueToTree(c.full()))).isEmpty();
        assertThat(validate(c, JSON.valueToTree(c.minimal()))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void eventsRoundTripThroughJson(Contract c) throws IOException {
        Object full = c.full();
        assertThat(JSON.readValue(JSON.writeValueAsBytes(full), c.type)).isEqualTo(full);
    }

    @ParameterizedTest
    @EnumSource(Contract.class)
    void schemaRejectsAMissingRequiredFieldAndAWrongType(Contract c) throws IOException {
        String required = c == Contract.MERGED ? "mergedInto" : "title";
        ObjectNode missing = JSON.valueToTree(c.full());
        missing.remove(required);
        assertThat(validate(c, missing)).extracting(ValidationMessage::getMessage).anyMatch(m -> m.contains(required));

        ObjectNode wrongType = JSON.valueToTree(c.full());
        if (c == Contract.MERGED) {
            wrongType.put("paperId", 42);
        } else {
            wrongType.put("authors", "not a list");
        }
        assertThat(validate(c, wrongType)).isNotEmpty();

        ObjectNode badTime = JSON.valueToTree(c.full());
        badTime.put(switch (c) { case SIGHTED -> "observedAt"; case CONSOLIDATED -> "updatedAt"; case MERGED -> "mergedAt"; }, "yesterday");
        assertThat(validate(c, badTime)).isNotEmpty();
    }

    @Test
    void schemaRejectsAnUnnormalisedArxivIdAndAnUnknownSourceKind() throws IOException {
        ObjectNode versioned = JSON.valueToTree(fullSighting());
        versioned.put("arxivId", "2401.12345v2");
        assertThat(validate(Contract.SIGHTED, versioned)).isNotEmpty();

        ObjectNode kind = JSON.valueToTree(fullSighting());
        kind.put("sourceKind", "carrier-pigeon");
        assertThat(validate(Contract.SIGHTED, kind)).isNotEmpty();
    }

    @Test
    void theSightingSchemaStatesTheContractsLimitsAndRejectsWhatBreaksThem() throws IOException {
        JsonNode p;
        try (InputStream in = resource(Contract.SIGHTED.resource)) {
            p = JSON.readTree(in).path("properties");
        }
        assertThat(p.path("title").path("maxLength").asInt()).isEqualTo(SightingLimits.TITLE);
        assertThat(p.path("abstract").path("maxLength").asInt()).isEqualTo(SightingLimits.ABSTRACT);
        assertThat(p.path("source").path("maxLength").asInt()).isEqualTo(SightingLimits.SOURCE);
        assertThat(p.path("authors").path("maxItems").asInt()).isEqualTo(SightingLimits.AUTHORS);
        assertThat(p.path("authors").path("items").path("maxLength").asInt()).isEqualTo(SightingLimits.AUTHOR);
        assertThat(p.path("categories").path("maxItems").asInt()).isEqualTo(SightingLimits.CATEGORIES);
        assertThat(p.path("categories").path("items").path("maxLength").asInt()).isEqualTo(SightingLimits.CATEGORY);
        assertThat(p.path("keywords").path("maxItems").asInt()).isEqualTo(SightingLimits.KEYWORDS);
        assertThat(p.path("keywords").path("items").path("maxLength").asInt()).isEqualTo(SightingLimits.KEYWORD);
        assertThat(p.path("rawIdentifiers").path("maxItems").asInt()).isEqualTo(SightingLimits.RAW_IDENTIFIERS);
        assertThat(p.path("rawIdentifiers").path("items").path("maxLength").asInt()).isEqualTo(SightingLimits.RAW_IDENTIFIER);
        assertThat(p.path("links").path("maxItems").asInt()).isEqualTo(SightingLimits.LINKS);
        assertThat(p.path("links").path("items").path("properties").path("href").path("maxLength").asInt()).isEqualTo(SightingLimits.LINK_HREF);
        assertThat(p.path("links").path("items").path("properties").path("rel").path("maxLength").asInt()).isEqualTo(SightingLimits.LINK_REL);

        ObjectNode longTitle = JSON.valueToTree(fullSighting());
        longTitle.put("title", "t".repeat(SightingLimits.TITLE + 1));
        assertThat(validate(Contract.SIGHTED, longTitle)).isNotEmpty();
    }

    @Test
    void recordsRefuseToBeBuiltWithoutTheirRequiredParts() {
        assertThatThrownBy(() -> new PaperSighted("s", PaperSighted.SourceKind.LISTING_TEXT, T, null, null, null,
                null, "fp", null, null, null, null, null, null, null, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("title");
    }

    @Test
    void asyncApiNamesEveryCatalogueTopicAndPointsAtSchemasThatExist() throws IOException {
        JsonNode doc;
        try (InputStream in = resource("asyncapi.yaml")) {
            doc = new YAMLMapper().readTree(in);
        }
        Set<String> addresses = new TreeSet<>();
        doc.get("channels").forEach(ch -> addresses.add(ch.get("address").asText()));
        Set<String> catalogue = new TreeSet<>();
        for (PaperTopic t : PaperTopic.values()) {
            catalogue.add(t.topicName());
        }
        assertThat(addresses).isEqualTo(catalogue);

        for (Contract c : Contract.values()) {
            String name = c.type.getSimpleName();
            JsonNode message = doc.at("/components/messages/" + name);
            assertThat(message.at("/payload/schema/$ref").asText()).isEqualTo(c.resource);
            assertThat(message.at("/bindings/kafka/key/description").asText()).isNotBlank();
            try (InputStream in = resource(c.resource)) {
                assertThat(in).as(c.resource).isNotNull();
            }
        }
        assertThat(doc.at("/components/schemas/CloudEventHeaders/properties/ce_type/enum").toString())
                .contains(CloudEvents.TYPE_PAPER_SIGHTED, CloudEvents.TYPE_PAPER_CONSOLIDATED, CloudEvents.TYPE_PAPER_MERGED);
    }

    private static Set<ValidationMessage> validate(Contract c, JsonNode event) throws IOException {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = resource(c.resource)) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
            return schema.validate(event);
        }
    }

    private static JsonNode schemaJson(Contract c) throws IOException {
        try (InputStream in = resource(c.resource)) {
            return JSON.readTree(in);
        }
    }

    private static InputStream resource(String name) {
        return EventSchemaContractTest.class.getResourceAsStream("/io/paperwire/events/" + name);
    }
}
