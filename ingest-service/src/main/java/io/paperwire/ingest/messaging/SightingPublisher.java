package io.paperwire.ingest.messaging;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.support.kafka.Acknowledgements;
import io.paperwire.support.kafka.CloudEventHeaders;
import io.paperwire.support.kafka.NotAcknowledgedException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends sightings to {@code paper.sightings.v1}, keyed by title fingerprint with CloudEvents headers, and
 * returns only when Kafka has acknowledged every one of them (acks=all): that is what a 202 promises.
 * The records go straight to the channel's Kafka producer (its configuration: acks, idempotence, linger, batch
 * size, serializers) rather than through the emitter one message at a time: per message, the emitter's
 * reactive pipeline (context propagation, a span, acknowledgement plumbing) cost more CPU than parsing the
 * listing and serializing the event together. A document is traced as its HTTP request instead.
 */
@ApplicationScoped
public class SightingPublisher {

    private final KafkaClientService kafka;

    /**
     * The emitter is never used: injecting it is what makes the connector create the channel's producer, which
     * {@link KafkaClientService} then hands out.
     */
    public SightingPublisher(@Channel(Channels.SIGHTINGS_OUT) MutinyEmitter<PaperSighted> channel, KafkaClientService kafka) {
        this.kafka = kafka;
    }

    /** A sighting with its event id, ready to send. */
    public record OutgoingSighting(String ceId, String ceSource, PaperSighted event) {
    }

    /**
     * Sends all and waits for every acknowledgement; throws {@link NotAcknowledgedException} if any send fails or
     * the timeout passes.
     */
    public void publishAll(List<OutgoingSighting> sightings, Duration timeout) {
        if (sightings.isEmpty()) {
            return;
        }
        Producer<String, PaperSighted> producer = kafka.<String, PaperSighted>getProducer(Channels.SIGHTINGS_OUT).unwrap();
        List<Future<RecordMetadata>> acks = new ArrayList<>(sightings.size());
        for (OutgoingSighting s : sightings) {
            acks.add(producer.send(record(s)));
        }
        Acknowledgements.await(acks, timeout, "the sightings");
    }

    private static ProducerRecord<String, PaperSighted> record(OutgoingSighting s) {
        PaperSighted e = s.event();
        Headers headers = CloudEventHeaders.of(s.ceId(), CloudEvents.TYPE_PAPER_SIGHTED, s.ceSource(), e.observedAt(),
                e.titleFingerprint(), CloudEvents.SCHEMA_PAPER_SIGHTED);
        return new ProducerRecord<>(PaperTopic.SIGHTINGS.topicName(), null, e.titleFingerprint(), e, headers);
    }
}
