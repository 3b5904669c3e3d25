import Engine

/// The exporter's name of the module a unit reconstructs ("layer1.0" for the
/// engine's "block1" of a torchvision ResNet, "features.3" of a MobileNet): the
/// last indexed component the unit's layer names share. The engine numbers
/// blocks; the user knows the model by these.
enum ModuleName {
    /// nil when the layers share no indexed component (the stem, the head, a single-layer unit named by its layer).
    static func of(_ unit: UnitInfo) -> String? {
        let paths = unit.layers.map { LayerName.stripped($0).split(separator: "/").map(String.init) }
        guard let first = paths.first, paths.count > 1 else { return nil }
        var common = first
        for path in paths.dropFirst() {
            common = Array(zip(common, path).prefix { $0 == $1 }.map(\.0))
        }
        guard let module = common.last(where: LayerName.isIndexed), module != unit.name else { return nil }
        return module
    }
}
