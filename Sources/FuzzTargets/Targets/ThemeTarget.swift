import Dashboard
import Foundation

/// Theme file bytes → `Theme.load` (the path the dashboard's `--theme` and
/// the `t` key take) → the palette resolved for every colour mode.
enum ThemeTarget {
    static func run(_ input: Data) throws {
        let path = try FuzzEnvironment.file("fuzz.theme", input)
        let theme = try Theme.load(nameOrPath: path, themesDirectory: nil)
        for mode in ColorMode.allCases { _ = RolePalette.resolve(theme, mode: mode) }
    }
}
