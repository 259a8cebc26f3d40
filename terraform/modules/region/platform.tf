# The platform the knative/ manifests run on. Helm installs the operators (and with them the CRDs); the custom
# resources they reconcile are kubectl_manifest resources (alekc/kubectl), which plan without the CRDs, so one
# plan covers both. Every chart version is pinned (variables, set in the root).

# ---- namespaces (created here so they carry the labels; the charts do not create them) ----------------------------

# "observability": knative/observability (the OpenTelemetry Collector, Zipkin, Vector), applied with kubectl into
# the namespace, the Secret trafficpeak-logs (secrets.tf) and the ConfigMap cluster-identity made here.
resource "kubernetes_namespace_v1" "platform" {
  for_each = toset(["knative-operator", "knative-serving", "knative-eventing", "cert-manager", "kafka", "observability"])

  metadata {
    name   = each.key
    labels = local.labels
  }
}

# ---- tracing: Knative's config-observability ------------------------------------------------------------------
# Knative >= 1.19 exports traces over OTLP only (config-observability replaced config-tracing), to the
# OpenTelemetry Collector of knative/observability. The operator owns config-observability in knative-serving and
# knative-eventing, so it is set through spec.config.observability of both custom resources below, never by hand.
# The Kafka broker's data plane (receiver, dispatcher) reads the same ConfigMap of knative-eventing from
# eventing-kafka-broker 1.20 on; knative_version 1.21 with kafka_broker_version knative-v1.21.5 does (not yet seen
# on a cluster: docs/deploy.md, "Observability (deployed)", reads the ConfigMap back after the install).
locals {
  knative_observability = {
    "tracing-protocol" = "http/protobuf"
    "tracing-endpoint" = "http://otel-collector.observability.svc.cluster.local:4318/v1/traces"
    # Strictly between 0 and 1, and that is the point, not the number: only such a rate gives Knative a parent-based
    # sampler that keeps the caller's decision (the gateway's, carried in traceparent). 0 or unset means NeverSample:
    # Knative clears the sampled flag and the functions (parent-based too) drop the trace; 1 forces every trace on.
    # The rate itself decides only traces that start inside Knative (PingSource ticks, events without traceparent):
    # 0.1 keeps one in ten, Spring Boot's default and the functions' MANAGEMENT_TRACING_SAMPLING_PROBABILITY
    # (knative/base/kustomization.yaml), small enough for Zipkin's in-memory store.
    "tracing-sampling-rate" = "0.1"
  }
}

# ---- operators -------------------------------------------------------------------------------------------------

resource "helm_release" "knative_operator" {
  name       = "knative-operator"
  repository = "https://knative.github.io/operator"
  chart      = "knative-operator"
  version    = var.knative_operator_chart_version
  namespace  = kubernetes_namespace_v1.platform["knative-operator"].metadata[0].name
  wait       = true
}

# Strimzi's cluster operator, watching its own namespace "kafka", where knative/kafka/overlays/<region> puts the
# Kafka "events" and its KafkaNodePool (applied with kubectl after this stage: docs/deploy.md).
resource "helm_release" "strimzi" {
  name       = "strimzi-cluster-operator"
  repository = "https://strimzi.io/charts/"
  chart      = "strimzi-kafka-operator"
  version    = var.strimzi_chart_version
  namespace  = kubernetes_namespace_v1.platform["kafka"].metadata[0].name
  wait       = true
}

resource "helm_release" "cert_manager" {
  name       = "cert-manager"
  repository = "https://charts.jetstack.io"
  chart      = "cert-manager"
  version    = var.cert_manager_chart_version
  namespace  = kubernetes_namespace_v1.platform["cert-manager"].metadata[0].name
  wait       = true

  # Helm provider 3.x: set is a list of objects.
  set = [
    {
      name  = "crds.enabled"
      value = "true"
    },
  ]
}

# ---- Knative Serving: Kourier on the edge NodeBalancer, TLS from cert-manager -----------------------------------

resource "kubectl_manifest" "knative_serving" {
  yaml_body = yamlencode({
    apiVersion = "operator.knative.dev/v1beta1"
    kind       = "KnativeServing"
    metadata = {
      name      = "knative-serving"
      namespace = kubernetes_namespace_v1.platform["knative-serving"].metadata[0].name
      labels    = local.labels
    }
    spec = {
      version             = var.knative_version
      "high-availability" = { replicas = 2 }
      ingress = {
        kourier = {
          enabled        = true
          "service-type" = "LoadBalancer"
        }
      }
      # Kourier's gateway Service (named kourier, in knative-serving, under the operator) adopts the NodeBalancer
      # Terraform made; preserve keeps the CCM from deleting it with the Service.
      services = [
        {
          name = "kourier"
          annotations = {
            "service.beta.kubernetes.io/linode-loadbalancer-nodebalancer-id" = tostring(linode_nodebalancer.edge.id)
            "service.beta.kubernetes.io/linode-loadbalancer-preserve"        = "true"
          }
          labels = local.labels
        },
      ]
      config = {
        network = {
          "ingress-class"       = "kourier.ingress.networking.knative.dev"
          "external-domain-tls" = "Enabled"
          # Plain HTTP only redirects to HTTPS; Knative keeps serving the ACME HTTP-01 challenge paths of its own
          # certificates on port 80 (UNVERIFIED for every Kourier release: check the first certificate's Order).
          "http-protocol" = "Redirected"
          # DomainMappings only for names Terraform claimed for a namespace (edge.tf).
          "autocreate-cluster-domain-claims" = "false"
        }
        certmanager = {
          issuerRef = yamlencode({ kind = "ClusterIssuer", name = "letsencrypt-http01" })
        }
        # Every Knative Service is cluster-local by default (Knative's documented svc.cluster.local default domain):
        # the only public route is the DomainMapping edge.<region>.<domain>, so external-domain-tls asks for no
        # other certificate.
        domain = {
          "svc.cluster.local" = ""
        }
        # queue-proxy and activator spans (tracing, above)
        observability = local.knative_observability
      }
    }
  })

  wait_for {
    condition {
      type   = "Ready"
      status = "True"
    }
  }

  depends_on = [helm_release.knative_operator, helm_release.cert_manager]
}

# ---- Knative Eventing with the Kafka broker ---------------------------------------------------------------------
# The operator's spec.source.kafka installs no broker data plane (knative/operator#771), so the Kafka broker's
# release files are appended (append mode, applied in this order after Eventing): the controller with its
# webhook, then the receiver and dispatcher. The Broker (knative/base/broker.yaml, class Kafka) names its own
# ConfigMap with the bootstrap address of the region's Strimzi Kafka. If dispatcher pods start before
# kafka-webhook-eventing serves, they lack their contract volume (eventing-kafka-broker#4619): docs/deploy.md
# checks for that and restarts the StatefulSet.

resource "kubectl_manifest" "knative_eventing" {
  yaml_body = yamlencode({
    apiVersion = "operator.knative.dev/v1beta1"
    kind       = "KnativeEventing"
    metadata = {
      name      = "knative-eventing"
      namespace = kubernetes_namespace_v1.platform["knative-eventing"].metadata[0].name
      labels    = local.labels
    }
    spec = {
      version             = var.knative_version
      "high-availability" = { replicas = 2 }
      # broker, trigger and Kafka data plane spans (tracing, above)
      config = {
        observability = local.knative_observability
      }
      additionalManifests = [
        { URL = "https://github.com/knative-extensions/eventing-kafka-broker/releases/download/${var.kafka_broker_version}/eventing-kafka-controller.yaml" },
        { URL = "https://github.com/knative-extensions/eventing-kafka-broker/releases/download/${var.kafka_broker_version}/eventing-kafka-broker.yaml" },
      ]
    }
  })

  wait_for {
    condition {
      type   = "Ready"
      status = "True"
    }
  }

  depends_on = [helm_release.knative_operator]
}

# ---- which cluster Vector's log rows come from -------------------------------------------------------------------
# Vector (knative/observability/vector.yaml) runs the same manifests in every region; it reads its cluster and
# region from here into each row it ships to TrafficPeak.
resource "kubernetes_config_map_v1" "cluster_identity" {
  metadata {
    name      = "cluster-identity"
    namespace = kubernetes_namespace_v1.platform["observability"].metadata[0].name
    labels    = local.labels
  }

  data = {
    cluster     = linode_lke_cluster.this.label
    region      = var.region
    environment = var.environment
  }
}
