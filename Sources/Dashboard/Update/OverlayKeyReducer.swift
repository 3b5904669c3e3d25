import Engine
import Quantization

extension DashboardReducer {
    static func handle(_ key: Key, in overlay: Overlay, state s: inout DashboardState) -> [Effect] {
        switch overlay {
        case .help:
            switch key {
            case .down, .character("j"), .up, .character("k"):
                let down = key == .down || key == .character("j")
                s.overlayScroll = max(0, min(OverlayView.overlayScrollLimit(s), s.overlayScroll + (down ? 1 : -1)))
            case .escape, .enter, .character("?"), .character("q"), .function(1): s.overlay = nil
            case .character("w"): return startTour(&s)
            default: break
            }
        case .tour(let step):
            return tourKey(key, step: step, &s)
        case .teaching:
            switch key {
            // Moving focus keeps the explanation open, so a class can be walked through every panel.
            case .tab, .right, .character("l"): s.focus = s.focus.next; s.overlay = .teaching(s.focus); s.overlayScroll = 0
            case .backTab, .left, .character("h"): s.focus = s.focus.previous; s.overlay = .teaching(s.focus); s.overlayScroll = 0
            case .down, .character("j"), .up, .character("k"):
                let down = key == .down || key == .character("j")
                s.overlayScroll = max(0, min(OverlayView.overlayScrollLimit(s), s.overlayScroll + (down ? 1 : -1)))
            case .escape, .enter, .character("t"), .character("q"): s.overlay = nil
            default: break
            }
        case .quitConfirm:
            switch key {
            case .character("y"), .character("Y"), .enter:
                s.overlay = nil
                guard s.isActive else { return [.quit(.userQuit(stoppedSession: false))] }
                s.quitPending = true
                s.notify("stopping: waiting for the engine to write its checkpoint (q again to leave now)")
                return [.send(.stop)]
            case .character("n"), .character("N"), .escape, .character("q"):
                s.overlay = nil
            default: break
            }
        case .hyperparameters(var form):
            return editHyperparameters(key, &form, &s)
        case .iterations(var form):
            return editIterations(key, &form, &s)
        case .export(var form):
            return editExport(key, &form, &s)
        case .gotoUnit(let text):
            return editGotoUnit(key, text, &s)
        case .blockDiagram(let unit):
            switch key {
            case .escape, .enter, .character("d"), .character("q"): s.overlay = nil
            // Walking a class through the blocks one after another; the selection follows.
            case .down, .character("j"), .up, .character("k"):
                let next = max(0, min(s.units.count - 1, unit + (key == .down || key == .character("j") ? 1 : -1)))
                s.overlay = .blockDiagram(next)
                s.selectedUnit = next
                s.followRunning = next == s.currentUnit
            default: break
            }
        case .confirmLock(let request):
            switch key {
            case .character("y"), .character("Y"), .enter:
                s.overlay = nil
                s.notify("lock \(request.layer) at W\(request.wbits) requested; unit \(request.unit + 1) restarts")
                return [.send(.lock(layer: request.layer, wbits: request.wbits, abits: request.abits))]
            case .character("n"), .character("N"), .escape, .character("q"):
                s.overlay = nil
                s.notify("lock cancelled; \(request.layer) keeps its bits")
            default: break
            }
        case .confirmRewind(let request):
            switch key {
            case .character("y"), .character("Y"), .enter:
                s.overlay = nil
                if let lock = request.lock {
                    s.notify("lock \(lock.layer) at W\(lock.wbits) requested; \(request.costText)")
                    return [.send(.lock(layer: lock.layer, wbits: lock.wbits, abits: lock.abits))]
                }
                s.notify("re-run of unit \(request.unit + 1) requested; \(request.costText)")
                return [.send(.rewind(unit: request.unit))]
            case .character("n"), .character("N"), .escape, .character("q"):
                s.overlay = nil
                s.notify(request.lock.map { "lock cancelled; \($0.layer) keeps its bits" } ?? "re-run cancelled; unit \(request.unit + 1) keeps its result")
            default: break
            }
        }
        return []
    }

    /// Esc closes a form; Enter closes it and submits its value, or shows why
    /// the value is invalid. nil: the key is for the form itself.
    private static func closeOrSubmit<Value>(_ key: Key, _ parsed: Result<Value, FormError>, error: inout String?,
                                             _ s: inout DashboardState,
                                             submit: (Value, inout DashboardState) -> [Effect]) -> [Effect]? {
        switch key {
        case .escape:
            s.overlay = nil
            return []
        case .enter:
            switch parsed {
            case .success(let value):
                s.overlay = nil
                return submit(value, &s)
            case .failure(let e):
                error = e.message
                return nil
            }
        default:
            return nil
        }
    }

    /// Characters a typed number may contain ("1e-3", "-0.5").
    static func isNumeric(_ c: Character) -> Bool { c.isASCII && (c.isNumber || ".eE-+".contains(c)) }

    private static func editHyperparameters(_ key: Key, _ form: inout HyperparameterForm, _ s: inout DashboardState) -> [Effect] {
        typealias Field = HyperparameterForm.Field
        let fields = Field.allCases
        func select(_ delta: Int) {
            let i = (form.selected.rawValue + delta + fields.count) % fields.count
            form.selected = fields[i]
            form.replaceOnType = true
        }
        let restart = form.restartCurrent
        if let effects = closeOrSubmit(key, form.parsed(), error: &form.error, &s, submit: { h, s in
            s.notify(restart ? "hyperparameters sent; current unit restarts" : "hyperparameters sent for the next units")
            return [.send(.setHyperparameters(h, restartCurrent: restart))]
        }) { return effects }
        switch key {
        case .up, .backTab: select(-1)
        case .down, .tab: select(1)
        case .character(" "), .left, .right:
            guard form.selected.isToggle else { break }
            if form.selected == .loss {
                let all = Hyperparameters.Loss.allCases
                form.loss = all[(all.firstIndex(of: form.loss)! + 1) % all.count]
            } else {
                form.restartCurrent.toggle()
            }
        case .backspace where !form.selected.isToggle:
            var text = form.texts[form.selected] ?? ""
            if !text.isEmpty { text.removeLast() }
            form.texts[form.selected] = text
            form.replaceOnType = false
        case .character(let c) where !form.selected.isToggle && isNumeric(c):
            let old = form.replaceOnType ? "" : form.texts[form.selected] ?? ""
            form.texts[form.selected] = String((old + String(c)).prefix(16))
            form.replaceOnType = false
        default:
            break
        }
        if case .failure(let e) = form.parsed() { form.error = e.message } else { form.error = nil }
        s.overlay = .hyperparameters(form)
        return []
    }

    private static func editExport(_ key: Key, _ form: inout ExportForm, _ s: inout DashboardState) -> [Effect] {
        if let effects = closeOrSubmit(key, form.parsed(), error: &form.error, &s, submit: { output, s in
            guard let checkpoint = s.lastCheckpoint?.path else { return [] }
            s.notify("exporting to \(output)…")
            return [.send(.export(checkpoint: checkpoint, output: output))]
        }) { return effects }
        switch key {
        case .backspace:
            if !form.path.isEmpty { form.path.removeLast() }
            form.error = nil
        case .character(let c) where !c.isNewline:
            form.path = String((form.path + String(c)).prefix(1024))
            form.error = nil
        default:
            break
        }
        s.overlay = .export(form)
        return []
    }

    private static func editIterations(_ key: Key, _ form: inout IterationsForm, _ s: inout DashboardState) -> [Effect] {
        func edit(_ change: (inout String) -> Void) {
            if form.selected == .current { change(&form.current) } else { change(&form.remaining) }
        }
        if let effects = closeOrSubmit(key, form.parsed(), error: &form.error, &s, submit: { values, s in
            guard values.current != nil || values.remaining != nil else { return [] }
            // Typed values replace any steps still in flight as the base for the next `+`/`-`.
            s.pendingIterations = PendingIterations(unit: values.current == nil ? nil : s.currentUnit, current: values.current,
                                                    defaultIterations: values.remaining ?? s.pendingIterations?.defaultIterations ?? s.defaultIterations)
            s.notify("iterations change requested")
            return [.send(.setIterations(current: values.current, default: values.remaining))]
        }) { return effects }
        switch key {
        case .tab, .backTab, .up, .down:
            form.selected = form.selected == .current ? .remaining : .current
            form.replaceOnType = true
        case .backspace:
            edit { if !$0.isEmpty { $0.removeLast() } }
            form.replaceOnType = false
        case .character(let c) where c.isASCII && c.isNumber:
            let replace = form.replaceOnType
            edit { $0 = String(((replace ? "" : $0) + String(c)).prefix(8)) }
            form.replaceOnType = false
        default:
            break
        }
        if case .failure(let e) = form.parsed() { form.error = e.message } else { form.error = nil }
        s.overlay = .iterations(form)
        return []
    }
}
