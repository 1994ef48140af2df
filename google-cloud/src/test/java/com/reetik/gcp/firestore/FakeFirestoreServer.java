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
 * Commit (set writes), Rollback. Commit can be told to fail with a status a number of times, and the whole service can be
 * told to answer UNAVAILABLE to every call for a time ({@link #outage}). Every successful Commit's writes are logged in
 * {@link #commitLog}, in commit order.
 */
final class FakeFirestoreServer implements AutoCloseable {

    static final String PROJECT = "reetik-test";
    static final String ROOT = "projects/" + PROJECT + "/databases/(default)/documents/";

    final Map<String, Document> documents = new ConcurrentHashMap<>();
    final AtomicInteger commits = new AtomicInteger();
    final AtomicInteger failedCommits = new AtomicInteger();
    final ConcurrentLinkedQueue<Status> commitFailures = new ConcurrentLinkedQueue<>();
    /** Every document written by a successful Commit, in commit order. */
    final ConcurrentLinkedQueue<Written> commitLog = new ConcurrentLinkedQueue<>();
    /** Calls answered UNAVAILABLE because of an {@link #outage}. */
    final AtomicInteger rejectedCalls = new AtomicInteger();
    private volatile long outageEndsAtNanos = System.nanoTime();
    private volatile boolean inOutage;
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

    /** One document written by a successful Commit (its commit's sequence number). */
    record Written(long commit, Document document) {
    }

    /** From now on and for this long, every call (BeginTransaction, BatchGetDocuments, Commit, Rollback) fails UNAVAILABLE. */
    void outage(java.time.Duration duration) {
        outageEndsAtNanos = System.nanoTime() + duration.toNanos();
        inOutage = true;
    }

    /** Whether the service is in an outage now. */
    boolean unavailable() {
        if (inOutage && System.nanoTime() - outageEndsAtNanos >= 0) {
            inOutage = false;
        }
        return inOutage;
    }

    private boolean rejected(StreamObserver<?> out) {
        if (!unavailable()) {
            return false;
        }
        rejectedCalls.incrementAndGet();
        out.onError(Status.UNAVAILABLE.withDescription("fake outage").asRuntimeException());
        return true;
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
            if (rejected(out)) {
                return;
            }
            out.onNext(BeginTransactionResponse.newBuilder().setTransaction(newTransaction()).build());
            out.onCompleted();
        }

        public void batchGetDocuments(BatchGetDocumentsRequest request, StreamObserver<BatchGetDocumentsResponse> out) {
            if (rejected(out)) {
                return;
            }
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

        public synchronized void commit(CommitRequest request, StreamObserver<CommitResponse> out) {
            int commit = commits.incrementAndGet();
            if (rejected(out)) {
                failedCommits.incrementAndGet();
                return;
            }
            Status failure = commitFailures.poll();
            if (failure != null) {
                failedCommits.incrementAndGet();
                out.onError(failure.asRuntimeException());
                return;
            }
            Timestamp time = tick();
            CommitResponse.Builder response = CommitResponse.newBuilder().setCommitTime(time);
            for (Write write : request.getWritesList()) {
                boolean delete = write.getOperationCase() == Write.OperationCase.DELETE;
                if (!delete && (!write.hasUpdate() || write.hasUpdateMask())) {
                    out.onError(Status.UNIMPLEMENTED.withDescription("only set and delete writes: " + write)
                            .asRuntimeException());
                    return;
                }
            }
            for (Write write : request.getWritesList()) {
                if (write.getOperationCase() == Write.OperationCase.DELETE) {
                    // Firestore v1: a delete write names the document; deleting one that does not exist succeeds
                    documents.remove(write.getDelete());
                    response.addWriteResults(WriteResult.newBuilder().setUpdateTime(time));
                    continue;
                }
                Document doc = write.getUpdate().toBuilder().setUpdateTime(time)
                        .setCreateTime(documents.containsKey(write.getUpdate().getName())
                                ? documents.get(write.getUpdate().getName()).getCreateTime() : time)
                        .build();
                documents.put(doc.getName(), doc);
                commitLog.add(new Written(commit, doc));
                response.addWriteResults(WriteResult.newBuilder().setUpdateTime(time));
            }
            out.onNext(response.build());
            out.onCompleted();
        }

        public void rollback(RollbackRequest request, StreamObserver<Empty> out) {
            if (rejected(out)) {
                return;
            }
            out.onNext(Empty.getDefaultInstance());
            out.onCompleted();
        }
    }
}
