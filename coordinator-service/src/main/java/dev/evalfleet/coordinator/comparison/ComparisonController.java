package dev.evalfleet.coordinator.comparison;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/compare")
@Tag(name = "Comparison", description = "Is job b better than job a, by how much, on which problems")
class ComparisonController {

    private final JobComparison comparison;

    ComparisonController(JobComparison comparison) {
        this.comparison = comparison;
    }

    @GetMapping
    @Operation(
            summary = "Paired comparison of two jobs over their common problems: pass@k of both, b − a with a"
                    + " paired-bootstrap 95 % interval and a p-value, McNemar's exact test for one sample per problem,"
                    + " and the problems that flip")
    ComparisonView compare(
            @Parameter(description = "the baseline job") @RequestParam UUID a,
            @Parameter(description = "the job compared with it") @RequestParam UUID b) {
        return comparison.compare(a, b);
    }
}
