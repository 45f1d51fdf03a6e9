import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local's own main (same command-line options), except that its HTTP connector listens
 * on 127.0.0.1 only: DynamoDB Local has no host option and would otherwise listen on every
 * interface. And, as infra/local/loopback-guard.ts does for the other local servers, a request
 * is refused (403) unless its Host is 127.0.0.1:<port> or localhost:<port> (a DNS-rebinding page
 * sends its own name), or if a web page on another origin sent it (Origin, Sec-Fetch-Site).
 * Run as a single-file source program (java DynamoDbLoopback.java ...), so nothing is compiled
 * ahead. Fails rather than start exposed if the connector or the handler cannot be found.
 */
public class DynamoDbLoopback {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server jetty = (Server) field.get(proxy);
    int port = -1;
    for (Connector connector : jetty.getConnectors()) {
      if (!(connector instanceof ServerConnector)) throw new IllegalStateException("unknown connector " + connector);
      ((ServerConnector) connector).setHost("127.0.0.1");
      port = ((ServerConnector) connector).getPort();
    }
    if (port <= 0) throw new IllegalStateException("DynamoDB Local has no connector to bind to loopback");
    Handler dynamo = jetty.getHandler();
    if (dynamo == null) throw new IllegalStateException("DynamoDB Local has no handler to guard");
    jetty.setHandler(new LoopbackOnly(dynamo, port));
    proxy.start();
    proxy.join();
  }

  /** Passes on only what this machine's own clients send: SDKs, curl and the tests. */
  static final class LoopbackOnly extends Handler.Wrapper {
    private final String[] own;

    LoopbackOnly(Handler inner, int port) {
      super(inner);
      own = new String[] {"127.0.0.1:" + port, "localhost:" + port};
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String refusal = refusal(request);
      if (refusal == null) return super.handle(request, response, callback);
      String body = "{\"__type\":\"ForeignRequestRefused\",\"message\":\"" + refusal.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
      response.setStatus(403);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/x-amz-json-1.0");
      response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
      return true;
    }

    private String refusal(Request request) {
      String host = String.valueOf(request.getHeaders().get(HttpHeader.HOST)).toLowerCase();
      if (!isOwn(host, "")) return "Host " + host + " is not this machine's loopback address (" + own[0] + ")";
      String origin = request.getHeaders().get(HttpHeader.ORIGIN);
      if (origin != null && !isOwn(origin.toLowerCase(), "http://")) return "requests from the web origin " + origin + " are refused";
      String site = request.getHeaders().get("Sec-Fetch-Site");
      if (site != null && !site.equals("same-origin") && !site.equals("none")) return "cross-site requests are refused";
      return null;
    }

    private boolean isOwn(String value, String scheme) {
      for (String name : own) if (value.equals(scheme + name)) return true;
      return false;
    }
  }
}
