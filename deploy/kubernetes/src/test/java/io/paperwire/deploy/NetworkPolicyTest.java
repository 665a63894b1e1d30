package io.paperwire.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered NetworkPolicies admit exactly the flows the design has: each flow below is evaluated as Kubernetes
 * does (a pod selected by no policy of a direction is open in that direction; once selected, only what some policy
 * admits passes; a flow needs the source's egress and the destination's ingress), against the pods' real labels
 * taken from the rendered Deployments.
 */
class NetworkPolicyTest {

    /** A party to a flow: a pod (namespace and labels) or an address outside the cluster. */
    record Peer(String namespace, Map<String, String> labels, String ip) {
        static Peer pod(String namespace, Map<String, String> labels) {
            return new Peer(namespace, labels, null);
        }

        static Peer address(String ip) {
            return new Peer(null, Map.of(), ip);
        }
    }

    private static final String NS = "paperwire";
    private static final Peer BROKER = Peer.pod(NS, Map.of("strimzi.io/cluster", "paperwire", "strimzi.io/kind", "Kafka",
            "strimzi.io/broker-role", "true"));
    private static final Peer POSTGRES = Peer.pod(NS, Map.of("cnpg.io/cluster", "paperwire-db", "cnpg.io/instanceRole", "primary"));
    private static final Peer DNS = Peer.pod("kube-system", Map.of("k8s-app", "kube-dns"));
    private static final Peer INGRESS_CONTROLLER = Peer.pod("ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"));
    private static final Peer PROMETHEUS = Peer.pod("monitoring", Map.of("app.kubernetes.io/name", "prometheus"));
    private static final Peer COLLECTOR = Peer.pod("observability", Map.of("app.kubernetes.io/name", "otel-collector"));
    private static final Peer API_CLIENT = Peer.pod(NS, Map.of("paperwire.io/api-client", "true"));
    private static final Peer OTHER_POD = Peer.pod(NS, Map.of("app", "something-else"));
    private static final Peer OTHER_NAMESPACE = Peer.pod("default", Map.of("paperwire.io/api-client", "true"));
    private static final Peer PUBLIC = Peer.address("93.184.216.34");
    private static final Peer PRIVATE = Peer.address("10.12.0.7");
    private static final Peer METADATA = Peer.address("169.254.169.254");

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theFlowsOfTheDesignPassAndNoOthers(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        List<JsonNode> policies = new ArrayList<>(Manifests.ofKind(objects, "NetworkPolicy"));
        policies.add(strimziListenerPolicy(objects));
        Peer ingest = service(objects, "ingest-service");
        Peer dedup = service(objects, "dedup-service");
        Peer notify = service(objects, "notify-service");

        List<String> wrong = new ArrayList<>();
        for (Peer svc : List.of(ingest, dedup, notify)) {
            String name = svc.labels().get("app.kubernetes.io/name");
            expect(wrong, policies, name + " -> DNS", svc, DNS, 53, true);
            expect(wrong, policies, name + " -> brokers", svc, BROKER, 9093, true);
            expect(wrong, policies, name + " -> PostgreSQL", svc, POSTGRES, 5432, true);
            expect(wrong, policies, name + " -> OTLP collector", svc, COLLECTOR, 4317, true);
            expect(wrong, policies, "Prometheus -> " + name + " management", PROMETHEUS, svc, 9000, true);
            expect(wrong, policies, "ingress controller -> " + name + " management", INGRESS_CONTROLLER, svc, 9000, false);
            expect(wrong, policies, name + " -> a private address", svc, PRIVATE, 443, false);
            expect(wrong, policies, name + " -> the metadata service", svc, METADATA, 80, false);
            expect(wrong, policies, name + " -> brokers' replication port", svc, BROKER, 9091, false);
            expect(wrong, policies, "another pod -> " + name, OTHER_POD, svc, 8080, false);
        }
        expect(wrong, policies, "ingress controller -> notify (the site)", INGRESS_CONTROLLER, notify, 8080, true);
        expect(wrong, policies, "ingress controller -> ingest (write API)", INGRESS_CONTROLLER, ingest, 8080, false);
        expect(wrong, policies, "ingress controller -> dedup (API)", INGRESS_CONTROLLER, dedup, 8080, false);
        expect(wrong, policies, "notify -> dedup (catalogue)", notify, dedup, 8080, true);
        expect(wrong, policies, "ingest -> dedup (completeness)", ingest, dedup, 8080, true);
        expect(wrong, policies, "dedup -> notify", dedup, notify, 8080, false);
        expect(wrong, policies, "dedup -> ingest", dedup, ingest, 8080, false);
        expect(wrong, policies, "an API client -> ingest", API_CLIENT, ingest, 8080, true);
        expect(wrong, policies, "an API client -> dedup", API_CLIENT, dedup, 8080, true);
        expect(wrong, policies, "a pod of another namespace -> ingest", OTHER_NAMESPACE, ingest, 8080, false);
        expect(wrong, policies, "ingest -> a source site", ingest, PUBLIC, 443, true);
        expect(wrong, policies, "notify -> a webhook", notify, PUBLIC, 443, true);
        expect(wrong, policies, "notify -> the SMTP relay", notify, PUBLIC, 587, true);
        expect(wrong, policies, "ingest -> SMTP", ingest, PUBLIC, 587, false);
        expect(wrong, policies, "dedup -> the internet", dedup, PUBLIC, 443, false);
        expect(wrong, policies, "another pod -> PostgreSQL", OTHER_POD, POSTGRES, 5432, false);
        expect(wrong, policies, "the CloudNativePG operator -> PostgreSQL status", Peer.pod("cnpg-system", Map.of()), POSTGRES, 8000, true);
        expect(wrong, policies, "Prometheus -> broker metrics", PROMETHEUS, BROKER, 9404, true);
        Peer solver = Peer.pod(NS, Map.of("acme.cert-manager.io/http01-solver", "true"));
        expect(wrong, policies, "ingress controller -> cert-manager's HTTP-01 solver", INGRESS_CONTROLLER, solver, 8089, true);
        expect(wrong, policies, "another pod -> the solver", OTHER_POD, solver, 8089, false);
        Peer restored = Peer.pod(NS, Map.of("cnpg.io/cluster", "paperwire-db-restored", "cnpg.io/instanceRole", "primary"));
        expect(wrong, policies, "dedup -> a restored PostgreSQL", dedup, restored, 5432, true);
        expect(wrong, policies, "the operator -> a restored PostgreSQL", Peer.pod("cnpg-system", Map.of()), restored, 8000, true);
        expect(wrong, policies, "another pod -> a restored PostgreSQL", OTHER_POD, restored, 5432, false);
        expect(wrong, policies, "notify -> NodeLocal DNSCache", notify, Peer.address("169.254.20.10"), 53, true);
        assertThat(wrong).as("flows the policies get wrong").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theKafkaListenerAdmitsTheServicesAndNoOtherPod(String overlay) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode peers = Manifests.named(objects, "Kafka", "paperwire").path("spec").path("kafka").path("listeners").get(0)
                .path("networkPolicyPeers");
        assertThat(peers.size()).isEqualTo(1);
        for (String svc : List.of("ingest-service", "dedup-service", "notify-service")) {
            assertThat(selects(peers.get(0).path("podSelector"), service(objects, svc).labels())).as(svc).isTrue();
        }
        assertThat(selects(peers.get(0).path("podSelector"), OTHER_POD.labels())).isFalse();
    }

    /**
     * The policy Strimzi's operator creates for the brokers' listener (it is not in our manifests): ingress on the
     * listener's port from its networkPolicyPeers.
     */
    private static JsonNode strimziListenerPolicy(List<JsonNode> objects) {
        JsonNode listener = Manifests.named(objects, "Kafka", "paperwire").path("spec").path("kafka").path("listeners").get(0);
        var policy = Manifests.JSON.createObjectNode();
        var spec = policy.putObject("spec");
        spec.putObject("podSelector").putObject("matchLabels").put("strimzi.io/cluster", "paperwire").put("strimzi.io/kind", "Kafka");
        spec.putArray("policyTypes").add("Ingress");
        var rule = spec.putArray("ingress").addObject();
        rule.set("from", listener.path("networkPolicyPeers"));
        rule.putArray("ports").addObject().put("protocol", "TCP").put("port", listener.path("port").asInt());
        return policy;
    }

    private static void expect(List<String> wrong, List<JsonNode> policies, String flow, Peer from, Peer to, int port, boolean allowed) {
        boolean passes = allowed(policies, from, to, port);
        if (passes != allowed) {
            wrong.add(flow + " :" + port + (allowed ? " is blocked" : " is open"));
        }
    }

    /** The pod of a Deployment, with the labels its template really gives it. */
    private static Peer service(List<JsonNode> objects, String name) {
        JsonNode labels = Manifests.named(objects, "Deployment", name).path("spec").path("template").path("metadata").path("labels");
        Map<String, String> map = new java.util.TreeMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return Peer.pod(NS, map);
    }

    static boolean allowed(List<JsonNode> policies, Peer from, Peer to, int port) {
        return direction(policies, from, "Egress", to, port) && direction(policies, to, "Ingress", from, port);
    }

    /** Whether the policies of {@code self}'s namespace let it send (Egress) to, or receive (Ingress) from, {@code other}. */
    private static boolean direction(List<JsonNode> policies, Peer self, String type, Peer other, int port) {
        if (self.ip() != null || !NS.equals(self.namespace())) {
            return true; // outside the namespace: not ours to fence
        }
        boolean selected = false;
        for (JsonNode p : policies) {
            JsonNode spec = p.path("spec");
            boolean ofType = false;
            for (JsonNode t : spec.path("policyTypes")) {
                ofType |= t.asText().equals(type);
            }
            if (!ofType || !selects(spec.path("podSelector"), self.labels())) {
                continue;
            }
            selected = true;
            for (JsonNode rule : spec.path(type.equals("Ingress") ? "ingress" : "egress")) {
                JsonNode peers = rule.path(type.equals("Ingress") ? "from" : "to");
                boolean peerOk = peers.isMissingNode() || peers.isEmpty();
                for (JsonNode peer : peers) {
                    peerOk |= matches(peer, other);
                }
                boolean portOk = rule.path("ports").isMissingNode() || rule.path("ports").isEmpty();
                for (JsonNode pt : rule.path("ports")) {
                    portOk |= pt.path("port").asInt(-1) == port;
                }
                if (peerOk && portOk) {
                    return true;
                }
            }
        }
        return !selected;
    }

    private static boolean matches(JsonNode peer, Peer other) {
        if (peer.has("ipBlock")) {
            return other.ip() != null && inCidr(other.ip(), peer.path("ipBlock").path("cidr").asText())
                    && !anyCidr(other.ip(), peer.path("ipBlock").path("except"));
        }
        if (other.ip() != null) {
            return false;
        }
        boolean namespaceOk = peer.has("namespaceSelector")
                ? selects(peer.path("namespaceSelector"), Map.of("kubernetes.io/metadata.name", other.namespace()))
                : NS.equals(other.namespace());
        boolean podOk = !peer.has("podSelector") || selects(peer.path("podSelector"), other.labels());
        return namespaceOk && podOk;
    }

    /** A label selector (matchLabels and matchExpressions with In, NotIn, Exists, DoesNotExist) against labels. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        var it = selector.path("matchLabels").fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (JsonNode ex : selector.path("matchExpressions")) {
            String value = labels.get(ex.path("key").asText());
            List<String> values = new ArrayList<>();
            ex.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (ex.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown operator " + ex);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyCidr(String ip, JsonNode cidrs) {
        for (JsonNode c : cidrs) {
            if (inCidr(ip, c.asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean inCidr(String ip, String cidr) {
        try {
            String[] parts = cidr.split("/");
            int bits = Integer.parseInt(parts[1]);
            BigInteger a = new BigInteger(1, InetAddress.getByName(ip).getAddress());
            BigInteger n = new BigInteger(1, InetAddress.getByName(parts[0]).getAddress());
            int shift = 32 - bits;
            return a.shiftRight(shift).equals(n.shiftRight(shift));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
