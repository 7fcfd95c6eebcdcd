import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

// Prints the exceptions real network failures raise, one line each, the way an
// application logs them: the examples of Pipelines/rules/jvm.yaml.
//   java NetErrors lookup:HOST connect:HOST:PORT read
public class NetErrors {
    public static void main(String[] args) throws Exception {
        for (String action : args) {
            try {
                if (action.startsWith("lookup:")) {
                    InetAddress.getAllByName(action.substring(7));
                } else if (action.startsWith("connect:")) {
                    String[] hostPort = action.substring(8).split(":");
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
                    }
                } else if (action.equals("read")) {
                    // A server that accepts and never answers.
                    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); Socket s = new Socket()) {
                        s.connect(silent.getLocalSocketAddress(), 2000);
                        s.setSoTimeout(2000);
                        InputStream in = s.getInputStream();
                        in.read();
                    }
                }
                System.out.println("INFO " + action + ": ok");
            } catch (IOException e) {
                System.out.println("ERROR " + action + " failed: " + e);
            }
        }
    }
}
