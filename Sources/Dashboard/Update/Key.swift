/// A key press, decoded from the terminal by the backend (or built by tests).
public enum Key: Sendable, Equatable {
    case character(Character)
    case up, down, left, right
    case tab, backTab, enter, escape, backspace
    case pageUp, pageDown, home, end
    case function(Int)
}
