/*
 * http_burst.c — a helper of tests/test_serve.sh: clients that go away in
 * the middle of a request, then one that asks /health.
 *
 *   http_burst PORT N
 *
 * Opens N connections to 127.0.0.1:PORT one after the other; on each sends
 * the start of a request (its line and one header, never the blank line
 * that ends it) and closes. Then asks GET /health and waits for the answer
 * at most 10 seconds. Prints the answer's status line and the seconds it
 * took; exits 0 when it is "200", 1 otherwise.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int connect_to(unsigned port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: http_burst PORT N\n");
        return 2;
    }
    unsigned port = (unsigned)strtoul(argv[1], NULL, 10);
    long n = strtol(argv[2], NULL, 10);
    static const char part[] = "GET /search?q=harbour HTTP/1.1\r\nHost: x\r\n";
    for (long i = 0; i < n; i++) {
        int fd = connect_to(port);
        if (fd < 0) {
            perror("http_burst: connect");
            return 1;
        }
        if (write(fd, part, sizeof part - 1) < 0)
            perror("http_burst: write");
        close(fd);
    }
    double began = now();
    int fd = connect_to(port);
    static const char health[] =
        "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    struct timeval limit = {10, 0};
    char answer[64] = "";
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        if (write(fd, health, sizeof health - 1) > 0) {
            ssize_t got = read(fd, answer, sizeof answer - 1);
            answer[got > 0 ? got : 0] = '\0';
        }
        close(fd);
    }
    answer[strcspn(answer, "\r\n")] = '\0';
    printf("%s (%.2f s)\n", *answer ? answer : "no answer", now() - began);
    return strncmp(answer, "HTTP/1.1 200", 12) == 0 ? 0 : 1;
}
