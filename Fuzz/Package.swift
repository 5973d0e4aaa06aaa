// swift-tools-version: 6.0
// The fuzz targets, kept out of the main package so that `swift build` there never links
// libFuzzer. `make fuzz` builds this package with coverage and AddressSanitizer into
// `.build/fuzz` and runs every target (see `scripts/fuzz.sh`).
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its folder, which is whatever the clone was called.
let mainPackage = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let mainIdentity = mainPackage.lastPathComponent.lowercased()

let package = Package(
    name: "TransfigureFuzz",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "transfigure-fuzz",
            dependencies: [
                .product(name: "TransformerMath", package: mainIdentity),
                .product(name: "Figures", package: mainIdentity),
                .product(name: "Reports", package: mainIdentity),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
