/// Text the harnesses plan their prefilters on once (`BuildLogDecoder.plan(sample:)`), in place
/// of each input's first chunk: a few lines in the proportions of a Go build inside BuildKit.
public enum FuzzSamples {
    public static let typicalLog: [UInt8] = Array("""
        #8 [builder 4/6] RUN go mod download
        #8 0.412 go: downloading github.com/spf13/cobra v1.8.0
        #8 2.009 go: example.com/m@v1.0.0: Get "https://proxy.golang.org/x/@v/list": dial tcp: lookup proxy.golang.org \
        on 10.96.0.10:53: read udp 10.1.0.4:40000->10.96.0.10:53: i/o timeout
        #8 ERROR: process "/bin/sh -c go mod download" did not complete successfully: exit code: 1
        npm ERR! code E404
        npm ERR! 404 Not Found - GET https://registry.npmjs.org/left-padd - Not found
        "main" #1 prio=5 os_prio=0 tid=0x00007f nid=0x1 runnable [0x00007f]
           java.lang.Thread.State: RUNNABLE
        \tat java.net.Inet6AddressImpl.lookupAllHostAddr(Native Method)

        """.utf8)
}
