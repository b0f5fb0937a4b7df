// dlib's own face-extraction pipeline, the peer for `doppel bench extract`.
//
// Reads raw RGB24 frames from stdin (e.g. `ffmpeg -i franck.mp4 -f rawvideo -pix_fmt rgb24 -`),
// and for every frame: HOG frontal face detector -> 68-point shape predictor -> aligned face
// chip (get_face_chip_details + extract_image_chip, 256 px) -> save_png into a temporary
// directory. The last line printed is `frames_per_s=<float>`.
//
// usage: dlib_extract_peer <width> <height> [--frames N] [--threads T] [--model PATH]
//
// How it uses the cores, the way a dlib user would: the main thread reads frames off the pipe
// (so reading is counted in the wall time) and hands them to T worker threads (default: the
// number of hardware threads, 2 here) through a small bounded queue. Each worker owns a copy of
// the detector, because dlib's object_detector keeps scratch state and is not meant to be
// shared across threads; the shape predictor is read once and shared, since its operator() is
// const. Frames are independent, so no ordering is needed: each chip is written under its frame
// index. Detection runs without upsampling: the faces in the test videos are 90-150 px, above
// the HOG detector's 80 px window, and upsampling would only make the peer slower.
//
// Frames/s = frames / wall seconds from the first read to the last PNG written. CPU seconds
// (getrusage) are printed too, because the benchmark machines are shared and loaded.

#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/image_processing.h>
#include <dlib/image_transforms.h>
#include <dlib/image_io.h>

#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Frame {
    long index;
    dlib::array2d<dlib::rgb_pixel> image;
};

// Bounded so a fast reader cannot buffer the whole video in memory while the workers lag.
class FrameQueue {
public:
    explicit FrameQueue(size_t capacity) : capacity_(capacity) {}

    void push(Frame&& f) {
        std::unique_lock<std::mutex> lock(m_);
        not_full_.wait(lock, [&] { return q_.size() < capacity_; });
        q_.push_back(std::move(f));
        not_empty_.notify_one();
    }

    bool pop(Frame& out) {
        std::unique_lock<std::mutex> lock(m_);
        not_empty_.wait(lock, [&] { return !q_.empty() || closed_; });
        if (q_.empty()) return false;
        out = std::move(q_.front());
        q_.pop_front();
        not_full_.notify_one();
        return true;
    }

    void close() {
        std::lock_guard<std::mutex> lock(m_);
        closed_ = true;
        not_empty_.notify_all();
    }

private:
    std::mutex m_;
    std::condition_variable not_empty_, not_full_;
    std::deque<Frame> q_;
    size_t capacity_;
    bool closed_ = false;
};

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec + u.ru_stime.tv_usec / 1e6;
}

// Reads exactly n bytes; false at a clean or partial end of stream (a partial last frame is dropped).
bool read_exact(unsigned char* dst, size_t n) {
    size_t got = 0;
    while (got < n) {
        size_t r = std::fread(dst + got, 1, n - got, stdin);
        if (r == 0) return false;
        got += r;
    }
    return true;
}

[[noreturn]] void usage() {
    std::cerr << "usage: dlib_extract_peer <width> <height> [--frames N] [--threads T] [--model PATH]\n"
                 "  reads raw rgb24 frames from stdin; prints frames_per_s=<float> last\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) usage();
    const long width = std::atol(argv[1]), height = std::atol(argv[2]);
    if (width <= 0 || height <= 0) usage();
    long max_frames = -1;
    unsigned threads = std::max(1u, std::thread::hardware_concurrency());
    std::string model = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
    for (int i = 3; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) usage();
        if (a == "--frames") max_frames = std::atol(argv[++i]);
        else if (a == "--threads") threads = static_cast<unsigned>(std::max(1L, std::atol(argv[++i])));
        else if (a == "--model") model = argv[++i];
        else usage();
    }

    // Model loading is setup, not per-frame work, so it happens before the clock starts.
    dlib::shape_predictor predictor;
    try {
        dlib::deserialize(model) >> predictor;
    } catch (const std::exception& e) {
        std::cerr << "dlib_extract_peer: cannot read " << model << ": " << e.what()
                  << " (Debian package libdlib-data)\n";
        return 1;
    }
    const dlib::frontal_face_detector prototype = dlib::get_frontal_face_detector();

    char tmpl[] = "/tmp/dlib_extract_peer.XXXXXX";
    if (!mkdtemp(tmpl)) { std::perror("mkdtemp"); return 1; }
    const std::string out_dir = tmpl;

    FrameQueue queue(2 * threads + 2);
    std::atomic<long> faces{0}, frames_with_face{0};
    // Per-stage thread CPU time summed over the workers (nanoseconds), to show where the time
    // goes. CPU rather than wall time because on a loaded machine a stage's wall time mostly
    // measures when the scheduler happened to preempt the thread.
    std::atomic<long long> ns_detect{0}, ns_landmarks{0}, ns_chip{0}, ns_png{0};
    std::vector<std::thread> workers;
    const size_t frame_bytes = static_cast<size_t>(width) * height * 3;

    const auto t0 = std::chrono::steady_clock::now();
    const double cpu0 = cpu_seconds();

    for (unsigned t = 0; t < threads; ++t) {
        workers.emplace_back([&, t] {
            dlib::frontal_face_detector detector = prototype;  // per-thread copy, see the header comment
            Frame f;
            dlib::array2d<dlib::rgb_pixel> chip;
            char name[64];
            auto now = [] {
                timespec ts{};
                clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
                return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
            };
            auto ns = [](long long a, long long b) { return b - a; };
            while (queue.pop(f)) {
                auto a = now();
                std::vector<dlib::rectangle> dets = detector(f.image);
                auto b = now();
                ns_detect += ns(a, b);
                if (!dets.empty()) frames_with_face++;
                for (size_t k = 0; k < dets.size(); ++k) {
                    a = now();
                    dlib::full_object_detection shape = predictor(f.image, dets[k]);
                    b = now();
                    dlib::extract_image_chip(f.image, dlib::get_face_chip_details(shape, 256), chip);
                    auto c = now();
                    std::snprintf(name, sizeof name, "/%06ld_%zu.png", f.index, k);
                    dlib::save_png(chip, out_dir + name);
                    auto d = now();
                    ns_landmarks += ns(a, b);
                    ns_chip += ns(b, c);
                    ns_png += ns(c, d);
                    faces++;
                }
            }
            (void)t;
        });
    }

    long frames = 0;
    while (max_frames < 0 || frames < max_frames) {
        Frame f;
        f.index = frames;
        f.image.set_size(height, width);
        // array2d<rgb_pixel> stores rows contiguously as r,g,b bytes, the same layout as rgb24.
        if (!read_exact(reinterpret_cast<unsigned char*>(&f.image[0][0]), frame_bytes)) break;
        queue.push(std::move(f));
        ++frames;
    }
    queue.close();
    for (auto& w : workers) w.join();

    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double cpu = cpu_seconds() - cpu0;
    std::filesystem::remove_all(out_dir);  // cleanup is not part of the pipeline, so after the clock

    std::printf("dlib: %ld frames %ldx%ld, %u worker threads, %ld with a face, %ld chips; wall %.2f s, cpu %.2f s (%.2f ms cpu/frame)\n",
                frames, width, height, threads, frames_with_face.load(), faces.load(), wall, cpu,
                frames > 0 ? 1000.0 * cpu / frames : 0.0);
    if (frames > 0) {
        auto ms = [&](const std::atomic<long long>& v) { return v.load() / 1e6 / frames; };
        std::printf("dlib: per frame (thread cpu): detect %.2f ms, landmarks %.2f ms, chip %.2f ms, png %.2f ms\n",
                    ms(ns_detect), ms(ns_landmarks), ms(ns_chip), ms(ns_png));
    }
    std::printf("cpu_frames_per_s=%.3f\n", cpu > 0 ? frames / cpu : 0.0);
    std::printf("frames_per_s=%.3f\n", wall > 0 ? frames / wall : 0.0);
    return frames > 0 ? 0 : 1;
}
