package io.paperwire.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The steady workload of {@code paperwire chaos}, with known contents, and its log of what Paperwire acknowledged.
 * Listing documents (Hugging Face daily-papers JSON) are posted to ingest at a fixed pace, each with its own
 * Idempotency-Key and retried with it until a 202, so a document is acknowledged once even when ingest dies under it.
 * They hold new papers and re-sightings of known ones: papers with an arXiv id from the start, papers first seen by
 * title and later with their id (the id attaches), and papers seen as two pieces (by title; by id under another title)
 * that a later sighting links (a merge). Meanwhile email subscribers subscribe and confirm, webhook receivers register,
 * and digest runs are asked for, so digests fall due while faults happen.
 */
final class ChaosWorkload implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a webhook receiver holds a digest delivery before it answers. */
    static final Duration HOLD = Duration.ofSeconds(3);
    private static final Pattern CONFIRM = Pattern.compile("https?://[^/\\s]+(/subscriptions/confirm\\?token=[A-Za-z0-9_-]+)");

    /** How a logical paper shows itself to Paperwire over its sightings. */
    enum Kind { WITH_ID, TITLE_THEN_ID, TWO_PIECES }

    /** One paper as the generator knows it; the checker expects exactly one catalogue paper for it. */
    record Logical(int number, Kind kind, String arxivId, String titleA, String titleB) {
    }

    /**
     * One entry of an acknowledged document: its index in the document, the logical paper it sighted, and whether it
     * links the two pieces of a {@link Kind#TWO_PIECES} paper (only then are they one paper).
     */
    record Entry(int index, int paper, boolean link) {
    }

    /** A document ingest answered 202 for. */
    record Ack(String key, List<Entry> entries, boolean duplicate, Instant at) {
    }

    /** A confirmed email subscriber or a registered webhook. */
    record Subscriber(String kind, String address, String subscriptionId, Instant at) {
    }

    /** One delivery a webhook receiver got (not the verification), with the URL path it arrived at. */
    record Delivery(String deliveryId, String event, String subscriptionId, String period, String path, Instant at) {
    }

    final String run;
    final String source;
    private final LocalConfig config;
    private final int notifyReplicaPort;
    private final String token;
    private final Random random;
    private final PrintStream log;
    private final Duration documentEvery;
    private final int entriesPerDocument;
    private final Duration subscriberEvery;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    final List<Logical> papers = new CopyOnWriteArrayList<>();
    /** Sightings of each logical paper posted so far (the generator's view, for choosing the next sighting). */
    private final List<Integer> sightingsPosted = new CopyOnWriteArrayList<>();
    final List<Ack> acks = new CopyOnWriteArrayList<>();
    final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final List<String> unconfirmed = new CopyOnWriteArrayList<>();
    /** Documents ingest refused (4xx): their entries are not expected, and a run with any is suspect. */
    final List<String> refused = new CopyOnWriteArrayList<>();
    /** Local ports of senders whose digest delivery a receiver is holding right now. */
    final Set<Integer> holding = ConcurrentHashMap.newKeySet();
    /** Why posts had to be retried while faults were injected: "HTTP 503", "ConnectException" and so on, with counts. */
    final Map<String, Integer> retries = new ConcurrentSkipListMap<>();
    private final List<HttpServer> receivers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean generating = true;
    private volatile boolean running = true;
    private volatile Instant giveUpAt = Instant.MAX;
    private final int arxivPrefix;
    private int documents;
    private final AtomicInteger bursts = new AtomicInteger();
    private final AtomicInteger extraWebhooks = new AtomicInteger();

    ChaosWorkload(LocalConfig config, int notifyReplicaPort, String token, long seed, Duration documentEvery, int entriesPerDocument,
            Duration subscriberEvery, PrintStream log) {
        this.config = config;
        this.notifyReplicaPort = notifyReplicaPort;
        this.token = token;
        this.random = new Random(seed);
        this.run = "c" + Long.toString(Math.abs(seed * 31 + System.nanoTime()) % 0x1000000, 16);
        this.source = "chaos-" + run;
        this.log = log;
        this.documentEvery = documentEvery;
        this.entriesPerDocument = entriesPerDocument;
        this.subscriberEvery = subscriberEvery;
        // arXiv ids of this run: one yymm of its own (years 30-99 are far from any real listing), numbered from 10000.
        this.arxivPrefix = 3001 + random.nextInt(70) * 100 + random.nextInt(12);
    }

    /** Starts the receivers and the threads: documents, subscribers, digest runs. */
    void start() throws IOException {
        for (int i = 0; i < 2; i++) {
            HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            receiver.createContext("/hook", ex -> {
                try (ex) {
                    byte[] body = ex.getRequestBody().readNBytes(1 << 20);
                    String event = ex.getRequestHeaders().getFirst("Paperwire-Event");
                    JsonNode json = JSON.readTree(body);
                    byte[] answer = new byte[0];
                    if ("verification".equals(event)) {
                        answer = json.path("challenge").asText().getBytes(StandardCharsets.UTF_8);
                    } else {
                        deliveries.add(new Delivery(ex.getRequestHeaders().getFirst("Paperwire-Delivery"), event,
                                json.path("subscriptionId").asText(null), json.path("period").asText(null),
                                ex.getRequestURI().getPath(), Instant.now()));
                        // A receiver that takes its time, as real ones do: a sender killed now dies mid-delivery, and
                        // whether the digest arrived is unknown to it (it did: it is logged above). The sender's port
                        // tells the fault injector which process is delivering (a kept-alive idle connection is not).
                        int sender = ex.getRemoteAddress().getPort();
                        holding.add(sender);
                        try {
                            sleep(HOLD);
                        } finally {
                            holding.remove(sender);
                        }
                    }
                    ex.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                    ex.getResponseBody().write(answer);
                }
            });
            receiver.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "chaos-receiver");
                t.setDaemon(true);
                return t;
            }));
            receiver.start();
            receivers.add(receiver);
        }
        threads.add(daemon("chaos-documents", this::postDocuments));
        threads.add(daemon("chaos-subscribers", this::addSubscribers));
        threads.add(daemon("chaos-digests", this::askForDigests));
    }

    private static Thread daemon(String name, Runnable work) {
        Thread t = new Thread(work, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Stops new documents and subscribers; a document under way is still retried until acknowledged or {@code giveUp}. */
    void stopGenerating(Duration giveUp) throws InterruptedException {
        giveUpAt = Instant.now().plus(giveUp);
        generating = false;
        threads.get(0).join();
        threads.get(1).join();
    }

    int documentsPosted() {
        return documents;
    }

    // ---------------------------------------------------------------- documents

    private void postDocuments() {
        long seq = 0;
        while (generating) {
            Instant next = Instant.now().plus(documentEvery);
            seq++;
            List<Entry> entries = new ArrayList<>();
            ArrayNode doc = document(entriesPerDocument, 4, entries);
            String key = run + "-" + seq;
            if (post(key, doc, entries)) {
                documents++;
            }
            sleepUntil(next);
        }
    }

    /**
     * A document of {@code size} entries, each a new paper with probability {@code newInTen}/10, else a re-sighting;
     * its entries are added to {@code entries}. Synchronized: bursts build documents from another thread.
     */
    private synchronized ArrayNode document(int size, int newInTen, List<Entry> entries) {
        ArrayNode doc = JSON.createArrayNode();
        for (int i = 0; i < size; i++) {
            int paper = papers.isEmpty() || random.nextInt(10) < newInTen ? newPaper() : random.nextInt(papers.size());
            Logical p = papers.get(paper);
            ObjectNode entry = sighting(p, sightingsPosted.get(paper));
            sightingsPosted.set(paper, sightingsPosted.get(paper) + 1);
            doc.add(entry);
            entries.add(new Entry(i, paper, p.kind() == Kind.TWO_PIECES && entry.path("paper").has("id")
                    && entry.path("paper").path("title").asText().equals(p.titleA())));
        }
        return doc;
    }

    /**
     * Posts one large document now, beside the steady pace, and returns once it is acknowledged (or given up): a fault
     * injected right after finds dedup and notify in the middle of their batches.
     */
    void burst(int size) {
        List<Entry> entries = new ArrayList<>();
        ArrayNode doc = document(size, 5, entries);
        post(run + "-burst-" + bursts.incrementAndGet(), doc, entries);
    }

    private int newPaper() {
        int n = papers.size();
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        String id = String.format("%04d.%05d", arxivPrefix, 10000 + n);
        String word = Long.toString(Math.abs(random.nextLong()) % 1_000_000_000L, 36);
        papers.add(new Logical(n, kind, id, "Chaos " + run + " paper " + n + " on " + word + " alpha",
                "Chaos " + run + " paper " + n + " on " + word + " beta"));
        sightingsPosted.add(0);
        return n;
    }

    /** The n-th sighting of a paper: which title and whether it carries the id depend on its kind (see the class). */
    private ObjectNode sighting(Logical p, int n) {
        String title;
        boolean withId;
        switch (p.kind()) {
            case WITH_ID -> {
                title = p.titleA();
                withId = true;
            }
            case TITLE_THEN_ID -> {
                title = p.titleA();
                withId = n > 0 && random.nextBoolean();
            }
            default -> {
                // piece A (title only), then piece B (id, other title), then the link (id, title A), then any of them
                int step = n <= 2 ? n : random.nextInt(3);
                title = step == 1 ? p.titleB() : p.titleA();
                withId = step != 0;
            }
        }
        ObjectNode entry = JSON.createObjectNode();
        ObjectNode paper = entry.putObject("paper");
        if (withId) {
            paper.put("id", p.arxivId());
        }
        paper.put("title", title);
        paper.put("summary", "A paper of chaos run " + run + " used to check that nothing is lost, doubled or invented.");
        paper.putArray("authors").addObject().put("name", "Chaos Author " + (p.number() % 7));
        paper.put("upvotes", random.nextInt(100));
        entry.put("publishedAt", Instant.now().toString());
        return entry;
    }

    /** Posts one document until ingest answers 202 (then it is logged) or a refusal; true when acknowledged. */
    private boolean post(String key, ArrayNode doc, List<Entry> entries) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(doc);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.ingestPort() + "/api/v1/listings?source=" + source))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json").header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        int attempt = 0;
        while (Instant.now().isBefore(giveUpAt)) {
            attempt++;
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 202) {
                    JsonNode answer = JSON.readTree(r.body());
                    if (answer.path("rejectedCount").asInt() > 0) {
                        log.println("document " + key + " had rejected entries (a generator bug): " + r.body());
                    }
                    acks.add(new Ack(key, List.copyOf(entries), answer.path("duplicate").asBoolean(), Instant.now()));
                    return true;
                }
                if (r.statusCode() < 500 && r.statusCode() != 408 && r.statusCode() != 429) {
                    log.println("document " + key + " refused: HTTP " + r.statusCode() + " " + r.body());
                    refused.add(key + ": HTTP " + r.statusCode());
                    return false;
                }
                note(attempt, "document " + key + ": HTTP " + r.statusCode());
                retries.merge("HTTP " + r.statusCode(), 1, Integer::sum);
            } catch (IOException e) {
                note(attempt, "document " + key + ": " + e);
                retries.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            sleep(Duration.ofMillis(500));
        }
        log.println("document " + key + " never acknowledged; its entries are not expected");
        refused.add(key + ": never acknowledged");
        return false;
    }

    private void note(int attempt, String what) {
        if (attempt == 1 || attempt % 20 == 0) {
            log.println(Instant.now() + " retrying (attempt " + attempt + ") " + what);
        }
    }

    // ---------------------------------------------------------------- subscribers

    private void addSubscribers() {
        sleep(subscriberEvery); // papers first, so that every digest has something to send
        int n = 0;
        while (generating) {
            Instant next = Instant.now().plus(subscriberEvery);
            n++;
            try {
                if (n % 2 == 1) {
                    subscribeByMail(run + "-" + n + "@chaos.example.org");
                } else {
                    registerWebhook(receivers.get(n / 2 % receivers.size()), n);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleepUntil(next);
        }
    }

    private void subscribeByMail(String address) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        String body = "{\"email\":\"" + address + "\",\"keywords\":[\"" + run + "\"]}";
        while (Instant.now().isBefore(deadline)) {
            try {
                if (notify("/api/v1/subscriptions", body).statusCode() == 202) {
                    break;
                }
            } catch (IOException e) {
                // notify is down: try again
            }
            sleep(Duration.ofSeconds(1));
        }
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> mail = http.send(HttpRequest.newBuilder(URI.create(config.mailApiUrl() + "/messages?to=" + address))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                for (JsonNode m : JSON.readTree(mail.body())) {
                    Matcher link = CONFIRM.matcher(m.path("text").asText());
                    if (m.path("subject").asText().startsWith("Confirm") && link.find()
                            && notify(link.group(1), null).body().contains("Subscription confirmed")) {
                        subscribers.add(new Subscriber("email", address, null, Instant.now()));
                        return;
                    }
                }
            } catch (IOException e) {
                // notify or the mail API is down: try again
            }
            sleep(Duration.ofSeconds(1));
        }
        unconfirmed.add(address);
        log.println("subscriber " + address + " could not be confirmed within 90 s; no digest is expected for it");
    }

    private void registerWebhook(HttpServer receiver, int n) throws InterruptedException {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/" + run + "-" + n;
        String body = "{\"webhookUrl\":\"" + url + "\",\"keywords\":[\"" + run + "\"]}";
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> r = notify("/api/v1/subscriptions", body);
                if (r.statusCode() == 201) {
                    subscribers.add(new Subscriber("webhook", url, JSON.readTree(r.body()).path("id").asText(), Instant.now()));
                    return;
                }
                if (r.statusCode() == 409) { // registered by an attempt whose answer was lost: it is ours, and active
                    log.println("webhook " + url + " was registered by an earlier attempt whose answer was lost");
                    unconfirmed.add(url);
                    return;
                }
            } catch (IOException e) {
                // notify is down: try again
            }
            sleep(Duration.ofSeconds(1));
        }
        unconfirmed.add(url);
        log.println("webhook " + url + " could not be registered within 90 s; no digest is expected for it");
    }

    /** The receivers' ports: a sender with a connection open to one of them is delivering a digest. */
    List<Integer> receiverPorts() {
        return receivers.stream().map(r -> r.getAddress().getPort()).toList();
    }

    /** Registers one more webhook now, from another thread, so that a digest delivery falls due within seconds. */
    void registerWebhookSoon() {
        int n = 1000 + extraWebhooks.incrementAndGet();
        daemon("chaos-webhook-" + n, () -> {
            try {
                registerWebhook(receivers.get(n % receivers.size()), n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Asks a notify replica for a digest run every few seconds (the scheduler plans them too), until closed. */
    private void askForDigests() {
        while (running) {
            for (int port : new int[] {config.notifyPort(), notifyReplicaPort}) {
                try {
                    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/digests/run"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                            HttpResponse.BodyHandlers.discarding());
                } catch (IOException e) {
                    // that replica is down or busy; the other one, or the next round, does it
                } catch (InterruptedException e) {
                    return;
                }
            }
            sleep(Duration.ofSeconds(3));
        }
    }

    private HttpResponse<String> notify(String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + config.notifyPort() + path))
                .timeout(Duration.ofSeconds(20));
        b = json == null ? b.POST(HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The event id ingest gives an entry of a document (ListingService#eventId): the checker looks for it. */
    String eventId(String key, int index) {
        return UUID.nameUUIDFromBytes((source + "\nkey:" + key + "\n" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public void close() {
        generating = false;
        running = false;
        threads.forEach(Thread::interrupt);
        receivers.forEach(r -> r.stop(0));
    }

    private static void sleepUntil(Instant t) {
        Duration d = Duration.between(Instant.now(), t);
        if (!d.isNegative()) {
            sleep(d);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
