/// At most one overlay is open; it takes the keys until closed.
public enum Overlay: Sendable, Equatable {
    case help
    /// Plain sentences about the focused panel, for demonstrations.
    case teaching(Panel)
    case quitConfirm
    case hyperparameters(HyperparameterForm)
    case iterations(IterationsForm)
    case export(ExportForm)
}
