package dev.evalfleet.coordinator.repair;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One problem's self-repair tree, by path ({@code /problems/HumanEval%2F0/tree}, the task id's slash
 * encoded) or by query ({@code /tree?problem=HumanEval/0}, for clients that cannot encode a slash).
 */
@RestController
@RequestMapping("/api/jobs/{id}")
@Tag(name = "Results", description = "Every sample of a job, with its code and verdict")
class RepairTreeController {

    private final RepairTrees trees;

    RepairTreeController(RepairTrees trees) {
        this.trees = trees;
    }

    @GetMapping("/tree")
    @Operation(summary = "The self-repair tree of one problem of a murphy job, e.g. ?problem=HumanEval/0")
    RepairTreeView tree(@PathVariable UUID id, @RequestParam String problem) {
        return trees.tree(id, problem);
    }

    @GetMapping("/problems/{taskId}/tree")
    @Operation(
            summary =
                    "The self-repair tree of one problem of a murphy job; encode the task id's slash, e.g. HumanEval%2F0")
    RepairTreeView treeByPath(@PathVariable UUID id, @PathVariable String taskId) {
        return trees.tree(id, taskId);
    }
}
