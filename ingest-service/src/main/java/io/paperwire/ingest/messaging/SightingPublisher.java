package io.paperwire.ingest.messaging;

import io.paperwire.events.CloudEvents;
import io.paperwire.events.PaperSighted;
import io.paperwire.events.topic.PaperTopic;
import io.paperwire.support.kafka.ChannelProducer;
import io.paperwire.support.kafka.CloudEventHeaders;
import io.paperwire.support.kafka.NotAcknowledgedException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Sends sightings to {@code paper.sightings.v1}, keyed by title fingerprint with CloudEvents headers, and
 * returns only when Kafka has acknowledged every one of them (acks=all): that is what a 202 promises. The records go
 * straight to the channel's own producer ({@link ChannelProducer}); a document is traced as its HTTP request.
 */
@ApplicationScoped
public class SightingPublisher {

    private final ChannelProducer<String, PaperSighted> producer;

    public SightingPublisher(@Channel(Channels.SIGHTINGS_OUT) MutinyEmitter<PaperSighted> channel, KafkaClientService kafka) {
        this.producer = new ChannelProducer<>(channel, kafka, Channels.SIGHTINGS_OUT);
    }

    /** A sighting with its event id, ready to send. */
    public record OutgoingSighting(String ceId, String ceSource, PaperSighted event) {
    }

    /**
     * Sends all and waits for every acknowledgement; throws {@link NotAcknowledgedException} if any send fails or
     * the timeout passes.
     */
    public void publishAll(List<OutgoingSighting> sightings, Duration timeout) {
        producer.sendAll(sightings.stream().map(SightingPublisher::record).toList(), timeout, "the sightings");
    }

    private static ProducerRecord<String, PaperSighted> record(OutgoingSighting s) {
        PaperSighted e = s.event();
        Headers headers = CloudEventHeaders.of(s.ceId(), CloudEvents.TYPE_PAPER_SIGHTED, s.ceSource(), e.observedAt(),
                e.titleFingerprint(), CloudEvents.SCHEMA_PAPER_SIGHTED);
        return new ProducerRecord<>(PaperTopic.SIGHTINGS.topicName(), null, e.titleFingerprint(), e, headers);
    }
}
