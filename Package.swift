// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Transfigure",
    products: [
        .executable(name: "transfigure", targets: ["transfigure"]),
        .library(name: "TransformerMath", targets: ["TransformerMath"]),
        .library(name: "AttentionKernels", targets: ["AttentionKernels"]),
        .library(name: "Figures", targets: ["Figures"]),
        .library(name: "Canvas", targets: ["Canvas"]),
        .library(name: "Reports", targets: ["Reports"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: System libraries
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "cairo",
            providers: [.apt(["libcairo2-dev"])]
        ),
        .systemLibrary(
            name: "CPango",
            pkgConfig: "pangocairo",
            providers: [.apt(["libpango1.0-dev"])]
        ),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),

        // MARK: Libraries, in pipeline order
        .target(name: "TransformerMath"),
        // Attention at scale: row blocks through OpenBLAS, softmax in SIMD lanes, pooled output.
        .target(name: "AttentionKernels", dependencies: ["TransformerMath", "CBLAS"]),
        .target(name: "Figures", dependencies: ["TransformerMath"]),
        .target(
            name: "Canvas",
            dependencies: ["CCairo", "CPango", "CPNG", "Figures"],
            linkerSettings: [.linkedLibrary("m")]
        ),
        .target(
            name: "Reports",
            dependencies: [
                "TransformerMath", "AttentionKernels", "Figures", "Canvas",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),

        // MARK: Executables
        .executableTarget(
            name: "transfigure",
            dependencies: [
                "TransformerMath", "AttentionKernels", "Figures", "Canvas", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "transfigure-bench",
            dependencies: ["TransformerMath", "AttentionKernels", "Figures", "Canvas"],
            path: "Benchmarks/transfigure-bench"
        ),

        // MARK: Tests, one target per layer
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "TransformerMathTests",
            dependencies: ["TransformerMath"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "AttentionKernelsTests", dependencies: ["AttentionKernels", "TransformerMath"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures", "TransformerMath"], exclude: ["Snapshots"]),
        .testTarget(name: "CanvasTests", dependencies: ["Canvas", "Figures", "TransformerMath"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Canvas", "Figures", "TransformerMath", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["transfigure", "Canvas", "TestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
