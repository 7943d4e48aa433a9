package dev.candor.application.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The receiver TracingIT reads spans with: an OTLP/HTTP protobuf export, gzipped or not, is acknowledged and kept. */
class OtlpReceiverTest {

    @Test
    void keepsTheSpansOfAnExportAndAcknowledgesIt() throws Exception {
        export(false);
    }

    @Test
    void readsAGzippedExport() throws Exception {
        export(true);
    }

    private static void export(boolean gzip) throws Exception {
        HexFormat hex = HexFormat.of();
        Span span = Span.newBuilder().setTraceId(ByteString.copyFrom(hex.parseHex("4bf92f3577b34da6a3ce929d0e0e4736")))
                .setSpanId(ByteString.copyFrom(hex.parseHex("00f067aa0ba902b7"))).setName("chat m")
                .addAttributes(KeyValue.newBuilder().setKey("gen_ai.usage.input_tokens")
                        .setValue(AnyValue.newBuilder().setIntValue(31))).build();
        byte[] request = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .addScopeSpans(ScopeSpans.newBuilder().addSpans(span))).build().toByteArray();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(zipped)) {
            out.write(request);
        }
        byte[] body = gzip ? zipped.toByteArray() : request;
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            HttpRequest post = HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    .header("Content-Encoding", gzip ? "gzip" : "identity")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
            HttpResponse<byte[]> response = HttpClient.newHttpClient().send(post,
                    HttpResponse.BodyHandlers.ofByteArray());

            assertEquals(200, response.statusCode());
            assertEquals(1, receiver.spans().size());
            OtlpReceiver.ReceivedSpan received = receiver.spans().get(0);
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", received.traceId());
            assertEquals("", received.parentSpanId());
            assertEquals("chat m", received.name());
            assertEquals("31", received.attribute("gen_ai.usage.input_tokens"));
        }
    }
}
