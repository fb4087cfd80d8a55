// vcsim-launcher: starts VMware's vCenter simulator (govmomi's simulator package, as Debian ships it)
// on a loopback port with TLS, prints one JSON line {"url", "ca_file", "username", "password"} and
// runs until stdin closes or it gets SIGTERM/SIGINT. Used by nova's VMware driver tests.
package main

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/vmware/govmomi/simulator"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	username := flag.String("username", "nova", "the only user name the simulator accepts")
	password := flag.String("password", "nova-secret", "the only password the simulator accepts")
	clusters := flag.Int("clusters", 1, "clusters in the datacenter")
	hosts := flag.Int("cluster-hosts", 2, "hosts per cluster")
	machines := flag.Int("machines", 1, "pre-existing (non-nova) VMs per resource pool")
	flag.Parse()

	model := simulator.VPX()
	model.Cluster = *clusters
	model.ClusterHost = *hosts
	model.Machine = *machines
	if err := model.Create(); err != nil {
		fmt.Fprintln(os.Stderr, "vcsim-launcher: creating the model:", err)
		os.Exit(1)
	}
	defer model.Remove()

	model.Service.Listen = &url.URL{Host: *listen, User: url.UserPassword(*username, *password)}
	model.Service.TLS = new(tls.Config)
	server := model.Service.NewServer()
	defer server.Close()

	caFile, err := server.CertificateFile()
	if err != nil {
		fmt.Fprintln(os.Stderr, "vcsim-launcher: writing the certificate:", err)
		os.Exit(1)
	}
	sdk := *server.URL
	sdk.User = nil
	line, _ := json.Marshal(map[string]string{
		"url": sdk.String(), "ca_file": caFile, "username": *username, "password": *password,
	})
	fmt.Println(string(line))

	done := make(chan struct{})
	go func() {
		// The parent holds stdin open; when it goes away, so do we.
		_, _ = bufio.NewReader(os.Stdin).ReadString(0)
		close(done)
	}()
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	select {
	case <-done:
	case <-signals:
	}
}
