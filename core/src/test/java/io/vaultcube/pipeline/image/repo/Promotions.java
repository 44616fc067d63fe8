package io.vaultcube.pipeline.image.repo;

import io.vaultcube.pipeline.exec.ProcessRunner;
import io.vaultcube.pipeline.image.FileHasher;
import io.vaultcube.pipeline.image.ProgressMeter;
import io.vaultcube.pipeline.image.Tools;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** In-process promotions for tests: a promoter that keeps its log, requests with test defaults. */
final class Promotions {
    final List<String> log = new CopyOnWriteArrayList<>();
    final Promoter promoter = new Promoter(new FileHasher(), 2, ProgressMeter.silent(), log::add, new ProcessRunner());

    static PromotionRequest.Builder request(Path repo, String name, String version, Path... files) {
        return PromotionRequest.builder(repo, name, version, Tools.resource("gate-success.json"))
                .files(List.of(files))
                .actor(new Actor("tester", "test-host"));
    }

    PromotionResult promote(PromotionRequest.Builder request) throws Exception {
        return promoter.promote(request.build());
    }

    static VerifyReport verify(Path repo) throws Exception {
        return new RepositoryVerifier(new FileHasher(), 2, ProgressMeter.silent(), line -> { })
                .verify(ImageRepository.open(repo), null, null);
    }
}
