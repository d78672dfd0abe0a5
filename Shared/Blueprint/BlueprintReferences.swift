/// The `!KeyOf` references of one blueprint: each names an entry of the same file, of a model
/// its field can hold, and there is no cycle; the entries in an order that applies each after
/// those it refers to (file order otherwise).
enum BlueprintReferences {
    static func order(_ entries: [BlueprintEntry], file: String, problems: inout [BlueprintProblem]) -> [BlueprintEntry] {
        var byID: [String: Int] = [:]
        for (index, entry) in entries.enumerated() {
            guard let id = entry.id else { continue }
            if let first = byID[id] {
                problems.append(BlueprintProblem(
                    entry.location, "id \(id) is taken by the entry at line \(entries[first].location.line)"))
            } else {
                byID[id] = index
            }
        }
        // depends[i]: the entries entry i refers to.
        var depends: [Set<Int>] = Array(repeating: [], count: entries.count)
        for (index, entry) in entries.enumerated() {
            for use in entry.keyOfUses {
                guard let target = byID[use.id] else {
                    problems.append(BlueprintProblem(use.location, "\(use.path): !KeyOf \(use.id) names no entry of this file"))
                    continue
                }
                let model = entries[target].model.name
                guard use.models.contains(model) else {
                    problems.append(BlueprintProblem(
                        use.location,
                        "\(use.path): !KeyOf \(use.id) is a \(model); this field takes a \(use.models.joined(separator: " or "))"))
                    continue
                }
                if entries[target].state == .absent, entry.state != .absent {
                    problems.append(BlueprintProblem(
                        use.location, "\(use.path): !KeyOf \(use.id) names an entry with state absent, which leaves nothing to refer to"))
                }
                if target == index {
                    problems.append(BlueprintProblem(use.location, "\(use.path): the entry refers to itself"))
                    continue
                }
                depends[index].insert(target)
            }
        }
        // Kahn's algorithm, always taking the first ready entry in file order.
        var remaining = depends
        var placed = Array(repeating: false, count: entries.count)
        var ordered: [BlueprintEntry] = []
        while ordered.count < entries.count {
            guard let next = (0..<entries.count).first(where: { !placed[$0] && remaining[$0].isEmpty }) else {
                // What is left waits on itself: name one cycle.
                let stuck = (0..<entries.count).filter { !placed[$0] }
                let cycle = Self.cycle(from: stuck[0], depends: remaining, placed: placed)
                let names = cycle.map { entries[$0].id ?? "line \(entries[$0].location.line)" }
                problems.append(BlueprintProblem(
                    entries[cycle[0]].location, "a reference cycle: \((names + [names[0]]).joined(separator: " → "))"))
                for index in stuck where !placed[index] {
                    placed[index] = true
                    ordered.append(entries[index])
                }
                break
            }
            placed[next] = true
            ordered.append(entries[next])
            for index in remaining.indices { remaining[index].remove(next) }
        }
        return ordered
    }

    /// A cycle among the unplaced entries, found by following references from `start`.
    static func cycle(from start: Int, depends: [Set<Int>], placed: [Bool]) -> [Int] {
        var path: [Int] = []
        var seen: [Int: Int] = [:]
        var current = start
        while seen[current] == nil {
            seen[current] = path.count
            path.append(current)
            guard let next = depends[current].filter({ !placed[$0] }).min() else { return path }
            current = next
        }
        return Array(path[seen[current]!...])
    }
}
