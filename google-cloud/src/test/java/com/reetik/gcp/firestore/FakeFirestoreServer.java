package com.reetik.gcp.firestore;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.cloud.NoCredentials;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import com.google.firestore.v1.BatchGetDocumentsRequest;
import com.google.firestore.v1.BatchGetDocumentsResponse;
import com.google.firestore.v1.BeginTransactionRequest;
import com.google.firestore.v1.BeginTransactionResponse;
import com.google.firestore.v1.CommitRequest;
import com.google.firestore.v1.CommitResponse;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.RollbackRequest;
import com.google.firestore.v1.Write;
import com.google.firestore.v1.WriteResult;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Timestamp;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import com.google.protobuf.Message;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Firestore v1 gRPC service on the loopback interface (the client reaches it as an emulator) (its method descriptors built here from the v1 protos, since the
 * generated grpc-google-cloud-firestore-v1 stubs are not served), enough for transactions: BeginTransaction, BatchGetDocuments,
 * Commit (set writes), Rollback. Commit can be told to fail with a status a number of times.
 */
final class FakeFirestoreServer implements AutoCloseable {

    static final String PROJECT = "reetik-test";
    static final String ROOT = "projects/" + PROJECT + "/databases/(default)/documents/";

    final Map<String, Document> documents = new ConcurrentHashMap<>();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger failedCommits = new AtomicInteger();
    final ConcurrentLinkedQueue<Status> commitFailures = new ConcurrentLinkedQueue<>();
    private final AtomicLong clock = new AtomicLong(1_700_000_000L);
    private final AtomicLong transactions = new AtomicLong();
    private final Server server;

    FakeFirestoreServer() throws IOException {
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).addService(new Service().definition())
                .build().start();
    }

    Firestore client() {
        return FirestoreOptions.newBuilder()
                .setProjectId(PROJECT)
                .setCredentials(NoCredentials.getInstance())
                .setCredentialsProvider(NoCredentialsProvider.create())
                .setEmulatorHost("localhost:" + server.getPort())
                .setHost("localhost:" + server.getPort())
                .build()
                .getService();
    }

    Document document(String collection, String id) {
        return documents.get(ROOT + collection + "/" + id);
    }

    private Timestamp tick() {
        return Timestamp.newBuilder().setSeconds(clock.incrementAndGet()).build();
    }

    private ByteString newTransaction() {
        return ByteString.copyFromUtf8("tx-" + transactions.incrementAndGet());
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> method(
            String name, MethodDescriptor.MethodType type, Q request, R response) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("google.firestore.v1.Firestore", name))
                .setRequestMarshaller(ProtoUtils.marshaller(request))
                .setResponseMarshaller(ProtoUtils.marshaller(response))
                .build();
    }

    private final class Service {

        ServerServiceDefinition definition() {
            return ServerServiceDefinition.builder("google.firestore.v1.Firestore")
                    .addMethod(method("BeginTransaction", MethodDescriptor.MethodType.UNARY,
                            BeginTransactionRequest.getDefaultInstance(), BeginTransactionResponse.getDefaultInstance()),
                            ServerCalls.asyncUnaryCall(this::beginTransaction))
                    .addMethod(method("BatchGetDocuments", MethodDescriptor.MethodType.SERVER_STREAMING,
                            BatchGetDocumentsRequest.getDefaultInstance(), BatchGetDocumentsResponse.getDefaultInstance()),
                            ServerCalls.asyncServerStreamingCall(this::batchGetDocuments))
                    .addMethod(method("Commit", MethodDescriptor.MethodType.UNARY,
                            CommitRequest.getDefaultInstance(), CommitResponse.getDefaultInstance()),
                            ServerCalls.asyncUnaryCall(this::commit))
                    .addMethod(method("Rollback", MethodDescriptor.MethodType.UNARY,
                            RollbackRequest.getDefaultInstance(), Empty.getDefaultInstance()),
                            ServerCalls.asyncUnaryCall(this::rollback))
                    .build();
        }

        public void beginTransaction(BeginTransactionRequest request, StreamObserver<BeginTransactionResponse> out) {
            out.onNext(BeginTransactionResponse.newBuilder().setTransaction(newTransaction()).build());
            out.onCompleted();
        }

        public void batchGetDocuments(BatchGetDocumentsRequest request, StreamObserver<BatchGetDocumentsResponse> out) {
            Timestamp readTime = tick();
            boolean first = true;
            for (String name : request.getDocumentsList()) {
                BatchGetDocumentsResponse.Builder response = BatchGetDocumentsResponse.newBuilder().setReadTime(readTime);
                if (first && request.hasNewTransaction()) {
                    response.setTransaction(newTransaction());
                }
                first = false;
                Document stored = documents.get(name);
                if (stored == null) {
                    response.setMissing(name);
                } else {
                    response.setFound(stored);
                }
                out.onNext(response.build());
            }
            out.onCompleted();
        }

        public void commit(CommitRequest request, StreamObserver<CommitResponse> out) {
            commits.incrementAndGet();
            Status failure = commitFailures.poll();
            if (failure != null) {
                failedCommits.incrementAndGet();
                out.onError(failure.asRuntimeException());
                return;
            }
            Timestamp time = tick();
            CommitResponse.Builder response = CommitResponse.newBuilder().setCommitTime(time);
            for (Write write : request.getWritesList()) {
                if (!write.hasUpdate() || write.hasUpdateMask()) {
                    out.onError(Status.UNIMPLEMENTED.withDescription("only set writes: " + write).asRuntimeException());
                    return;
                }
            }
            for (Write write : request.getWritesList()) {
                Document doc = write.getUpdate().toBuilder().setUpdateTime(time)
                        .setCreateTime(documents.containsKey(write.getUpdate().getName())
                                ? documents.get(write.getUpdate().getName()).getCreateTime() : time)
                        .build();
                documents.put(doc.getName(), doc);
                response.addWriteResults(WriteResult.newBuilder().setUpdateTime(time));
            }
            out.onNext(response.build());
            out.onCompleted();
        }

        public void rollback(RollbackRequest request, StreamObserver<Empty> out) {
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        }
    }
}
